// In-process throughput of the embedded Keyspace: commands (exec, execMany, execRaw,
// execResp with 100 RESP requests per call), applyEffects, snapshot and fromSnapshot.
import Benchmark from 'benchmark';
import { Keyspace, ReplyError } from '../lib';
import { encodeCommands } from '../test/support/resp';
import { batch, families, type Argv } from './commands';
import { gc } from './env';

export interface Row {
  bench: string;
  mode: string;
  /** commands/s, effects/s or keys/s (see unit) */
  rate: number;
  unit: string;
  /** ± relative margin of error in % (benchmark.js), or the min..max spread of the rounds */
  rme: number;
  mbPerSec?: number;
  /** this process's CPU time / wall time while measuring, %: well under 100 = other processes took the core */
  cpu?: number;
  note?: string;
}

export interface Options {
  quick: boolean;
  batchSize: number;
}

const DISTINCT = 100_000; // distinct argvs per family; the benches cycle through them
const DRAIN_EVERY = 10_000; // local writes between drainEffects() (a server drains continuously)

/** Runs `f`; also returns the process CPU time / wall time in % (GC helper threads count too). */
function cpuShare<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const result = f();
  const c = process.cpuUsage(c0);
  return [result, ((c.user + c.system) * 1e3 * 100) / Number(process.hrtime.bigint() - w0)];
}

function micro(name: string, fn: () => void, opts: Options): { hz: number; rme: number; cpu: number } {
  const b = new Benchmark(name, fn, { maxTime: opts.quick ? 0.3 : 1.5, minSamples: 5 });
  const [, cpu] = cpuShare(() => b.run());
  if (b.error) throw b.error;
  return { hz: b.hz, rme: b.stats.rme, cpu };
}

/** A keyspace holding the family's data (GET reads SET's keys); undefined when unsupported. */
function prepared(name: string): Keyspace | string {
  const ks = new Keyspace({ instanceId: 1 });
  const load = name === 'GET' ? families.SET! : families[name]!;
  for (let i = 0; i < DISTINCT; i += 1000) {
    const err = ks.execMany(batch(load, i, i + 1000)).find((r) => r instanceof ReplyError);
    if (err) return (err as ReplyError).message;
    ks.drainEffects();
  }
  return ks;
}

function commandRows(name: string, opts: Options): Row[] {
  const cmd = families[name]!;
  const n = opts.batchSize;
  const singles: Argv[] = batch(cmd, 0, DISTINCT);
  const batches: Argv[][] = [];
  for (let i = 0; i < DISTINCT; i += n) batches.push(singles.slice(i, i + n));
  const resp = batches.map(encodeCommands);

  // Each mode cycles through its calls, draining effects every DRAIN_EVERY writes.
  const cycling =
    <T>(calls: T[], perCall: number, run: (ks: Keyspace, call: T) => void) =>
    (ks: Keyspace) => {
      const drainEvery = Math.max(1, Math.round(DRAIN_EVERY / perCall));
      let i = 0;
      return () => {
        run(ks, calls[i]!);
        if (++i === calls.length) i = 0;
        if (i % drainEvery === 0) ks.drainEffects();
      };
    };
  const modes: Record<string, (ks: Keyspace) => () => void> = {
    exec: cycling(singles, 1, (ks, argv) => ks.exec(argv)),
    [`execMany x${n}`]: cycling(batches, n, (ks, cmds) => ks.execMany(cmds)),
    [`execRaw x${n}`]: cycling(batches, n, (ks, cmds) => ks.execRaw(cmds)),
    [`execResp x${n}`]: cycling(resp, n, (ks, buf) => ks.execResp(buf)),
  };

  const rows: Row[] = [];
  for (const [mode, make] of Object.entries(modes)) {
    gc();
    const ks = prepared(name);
    if (typeof ks === 'string') {
      return [{ bench: name, mode: 'all', rate: NaN, unit: 'cmd/s', rme: NaN, note: `skipped: ${ks}` }];
    }
    const check = ks.execResp(resp[0]!);
    if (check.consumed !== resp[0]!.length || check.replies[0] === 0x2d || check.replies.includes('\r\n-')) {
      throw new Error(`${name}: execResp consumed ${check.consumed}/${resp[0]!.length}`);
    }
    const perOp = mode === 'exec' ? 1 : n;
    const { hz, rme, cpu } = micro(`${name} ${mode}`, make(ks), opts);
    rows.push({ bench: name, mode, rate: hz * perOp, unit: 'cmd/s', rme, cpu });
  }
  return rows;
}

interface Timed {
  /** seconds */
  median: number;
  best: number;
  /** (slowest - fastest) / median, % */
  spread: number;
  cpu: number;
}

/** Times `op` over several rounds with a GC (untimed) before each. */
async function rounds(count: number, op: () => void): Promise<Timed> {
  const times: number[] = [];
  let cpuSum = 0;
  for (let r = 0; r < count; r++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve)); // lets deferred finalizers free dropped keyspaces
    const t0 = process.hrtime.bigint();
    const [, cpu] = cpuShare(op);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    cpuSum += cpu;
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  return { median, best: times[0]!, spread: ((times[times.length - 1]! - times[0]!) / median) * 100, cpu: cpuSum / count };
}

/** A row for a timed bulk operation over `items` items of `bytes` bytes in all. */
function bulkRow(bench: string, mode: string, unit: string, items: number, bytes: number, t: Timed, note: string): Row {
  const rate = items / t.median;
  const best = `best ${Math.round(items / t.best).toLocaleString('en-US')}/s`;
  return { bench, mode, rate, unit, rme: t.spread, mbPerSec: bytes / t.median / 1e6, cpu: t.cpu, note: `${note}; ${best}` };
}

function loaded(count: number): Keyspace {
  const ks = new Keyspace({ instanceId: 1 });
  for (let i = 0; i < count; i += 1000) ks.execMany(batch(families.SET!, i, Math.min(count, i + 1000)));
  return ks;
}

async function stateRows(opts: Options): Promise<Row[]> {
  const rows: Row[] = [];
  const r = opts.quick ? 5 : 15;

  for (const n of [10_000, 100_000]) {
    const effects = loaded(n).drainEffects();
    const probe = new Keyspace({ instanceId: 2 });
    probe.applyEffects(effects);
    if (probe.stats().keys !== n) throw new Error(`applyEffects: ${probe.stats().keys} keys, expected ${n}`);
    const t = await rounds(r * (n < 100_000 ? 3 : 1), () => new Keyspace({ instanceId: 2 }).applyEffects(effects));
    const mode = `${n / 1000}k SET effects -> fresh keyspace`;
    rows.push(bulkRow('applyEffects', mode, 'effects/s', n, effects.length, t, `${(effects.length / n).toFixed(1)} B/effect`));
  }

  const keys = 100_000;
  const ks = loaded(keys);
  ks.drainEffects();
  let snap = ks.snapshot();
  const s = await rounds(r, () => (snap = ks.snapshot()));
  const note = `${(snap.length / 1e6).toFixed(2)} MB, ${(snap.length / keys).toFixed(1)} B/key`;
  rows.push(bulkRow('snapshot', '100k string keys', 'keys/s', keys, snap.length, s, note));
  if (Keyspace.fromSnapshot(snap, { instanceId: 2 }).digest() !== ks.digest()) throw new Error('fromSnapshot: digest differs');
  const f = await rounds(r, () => Keyspace.fromSnapshot(snap, { instanceId: 2 }));
  rows.push(bulkRow('fromSnapshot', '100k string keys', 'keys/s', keys, snap.length, f, note));
  return rows;
}

export async function runKeyspace(opts: Options, log: (row: Row) => void = () => {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of Object.keys(families)) {
    for (const row of commandRows(name, opts)) {
      rows.push(row);
      log(row);
    }
  }
  for (const row of await stateRows(opts)) {
    rows.push(row);
    log(row);
  }
  return rows;
}
