// Shard replication (issue 5), ours beside a real redis-server, same machine, same run.
//
// 1. Full sync: a master holding N string keys (key:0..key:N-1, 25-byte values, loaded by
//    feeding a generated RESP file to `redis-cli --pipe`), and a fresh replica process told
//    `REPLICAOF 127.0.0.1 <master port>`. Timed from sending REPLICAOF until the replica's
//    INFO replication shows master_link_status:up and master_sync_in_progress:0 and its INFO
//    keyspace shows all N keys (polled every 10 ms). redis-server runs with its defaults,
//    which for a 7.x master include repl-diskless-sync yes with repl-diskless-sync-delay 5
//    (it waits 5 s for more replicas before streaming), so redis is timed twice: with its
//    defaults, and with the delay set to 0 on the master (CONFIG SET, restored after).
//    Rounds interleave (order alternates), a fresh replica each time; median reported.
//    5 rounds of each part (1 with --quick): this 2-core machine is shared, and 3 were too few.
// 2. Write throughput: `redis-benchmark -t set -c 50 -r 100000` (and -P 16) against a master
//    without replicas and against another master with 2 replicas attached and online, for
//    each side; all four interleaved round by round. Before every run each master's replicas
//    are let catch up (so one run's replication does not load the next), and after each run
//    with replicas the lag is sampled (the master's master_repl_offset minus each replica's
//    own slave_repl_offset read just after; the master's slaveN lines too). At the end the
//    replicas' key counts are compared with the master's. The CPU time (from /proc) the
//    master used per request in each run, and each replica until caught up, is reported
//    beside: on 2 cores the replicas' CPU is what the master loses.
//
// Everything here is a separate process: ours `node dist/cli.js start` (needs
// `npm run build:ts`), redis `redis-server`, and the clients redis-cli / redis-benchmark.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, hasRedisServer, startRedisServer, waitExit } from '../test/support/redis-server';
import { RespClient, RespError, parseReply } from '../test/support/resp';
import { cpuSeconds, median, root } from './env';

// ---------------------------------------------------------------------------------------
// Result shapes

export interface SyncRow {
  /** 'redis', 'redis delay 0', 'ours' */
  side: string;
  keys: number;
  /** Median seconds from REPLICAOF to synced, NaN when no round succeeded. */
  seconds: number;
  samples: number[];
  /** Per round, what the replica's INFO said on the way (ms since REPLICAOF). */
  timelines: string[][];
  /** Rounds that failed, with what failed. */
  errors: string[];
}

export interface WriteRow {
  side: 'redis' | 'ours';
  pipeline: number;
  rps0: number;
  rps2: number;
  /** 1 - rps2 / rps0 */
  loss: number;
  samples0: number[];
  samples2: number[];
  /** Largest master_repl_offset - replica's slave_repl_offset seen right after a run with replicas (bytes). */
  maxLagBytes: number;
  /** Longest time the replicas took to catch up after a run (ms). */
  maxCatchUpMs: number;
  /** Master CPU time per request (user + system, µs) in each run without / with replicas. */
  cpu0: number[];
  cpu2: number[];
  /** A replica's CPU time per request the master took, from the run's start until caught up (mean of the 2). */
  replicaCpu: number[];
  /** Medians of the three above; NaN where /proc is not there to read. */
  cpuUs0: number;
  cpuUs2: number;
  replicaCpuUs: number;
  error?: string;
}

export interface SlaveLine {
  ip: string;
  port: number;
  state: string;
  offset: number;
  lag: number;
}

export interface EndState {
  side: 'redis' | 'ours';
  /** Sampled right after the last write run. */
  masterReplOffset: number;
  /** The master's slaveN lines: offset as of each replica's last ACK, lag = seconds since it. */
  slaves: SlaveLine[];
  /** Each replica's own slave_repl_offset, sampled just after the master. */
  replicaOffsets: number[];
  /** ms until every replica's offset reached the master's (NaN: not within the timeout). */
  catchUpMs: number;
  masterKeys: number;
  replicaKeys: number[];
  match: boolean;
  error?: string;
}

export interface ReplicationResult {
  keys: number;
  syncRounds: number;
  writeRounds: number;
  requests: Record<number, number>;
  /** Seconds `redis-cli --pipe` took to load the keys into each side's master. */
  load: { side: string; seconds: number }[];
  sync: SyncRow[];
  writes: WriteRow[];
  end: EndState[];
  /** Anything that failed outside a row: command and output. */
  errors: string[];
}

// ---------------------------------------------------------------------------------------
// Processes: every child is tracked and killed on exit, errors included.

interface Proc {
  readonly port: number;
  readonly child: ChildProcess;
  /** The last few KB the process printed. */
  log(): string;
  stop(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; dir: string }>();

function killAllNow(): void {
  for (const p of live) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    fs.rmSync(p.dir, { recursive: true, force: true });
  }
  live.clear();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopChild(child: ChildProcess): Promise<void> {
  if (await waitExit(child, 0)) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, 5000))) {
    child.kill('SIGKILL');
    await waitExit(child, 5000);
  }
}

async function startRedis(): Promise<Proc> {
  const server = await startRedisServer();
  const entry = { child: server.process, dir: server.dir };
  live.add(entry);
  let out = '';
  server.process.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  return {
    port: server.port,
    child: server.process,
    log: () => out,
    stop: async () => {
      await server.stop();
      live.delete(entry);
    },
  };
}

async function startOursOnce(): Promise<Proc> {
  const port = await freePort();
  // Its own cwd, a temp dir, in case it writes anything.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replbench-ours-'));
  const args = [path.join(root, 'dist/cli.js'), 'start', '--port', String(port), '--bind', '127.0.0.1',
    '--instance-id', '1', '--loglevel', 'warning'];
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { child, dir };
  live.add(entry);
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
    live.delete(entry);
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const c = await RespClient.connect(port);
      await c.close();
      return { port, child, log: () => out, stop };
    } catch {
      await sleep(50);
    }
  }
  await stop();
  throw new Error(`node ${args.join(' ')} did not start (exit ${child.exitCode}):\n${out}`);
}

async function startOurs(): Promise<Proc> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOursOnce();
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

interface Flavor {
  side: 'redis' | 'ours';
  start(): Promise<Proc>;
}

const FLAVORS: Flavor[] = [
  { side: 'redis', start: startRedis },
  { side: 'ours', start: startOurs },
];

// ---------------------------------------------------------------------------------------
// INFO and commands

type Info = Map<string, string>;

function parseInfo(text: string): Info {
  const m: Info = new Map();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return m;
}

function replyText(raw: Buffer): string {
  const v = parseReply(raw);
  if (v instanceof RespError) throw v;
  return Buffer.isBuffer(v) ? v.toString() : String(v);
}

async function info(client: RespClient, ...sections: string[]): Promise<Info> {
  const replies = await client.send(sections.map((s) => ['INFO', s]));
  const m: Info = new Map();
  for (const r of replies) for (const [k, v] of parseInfo(replyText(r))) m.set(k, v);
  return m;
}

function dbKeys(i: Info): number {
  const db0 = i.get('db0');
  return db0 ? Number(db0.match(/keys=(\d+)/)?.[1] ?? NaN) : 0;
}

function slaves(i: Info): SlaveLine[] {
  const out: SlaveLine[] = [];
  for (let n = 0; i.has(`slave${n}`); n++) {
    const f = new Map(i.get(`slave${n}`)!.split(',').map((kv) => kv.split('=') as [string, string]));
    out.push({ ip: f.get('ip') ?? '', port: Number(f.get('port')), state: f.get('state') ?? '', offset: Number(f.get('offset')), lag: Number(f.get('lag')) });
  }
  return out;
}

/** One command on a short-lived connection; throws on an error reply, with the command in the message. */
async function command(port: number, argv: string[]): Promise<string> {
  const c = await RespClient.connect(port);
  try {
    const v = await c.call(argv);
    if (v instanceof RespError) throw new Error(`${argv.join(' ')} on port ${port}: -${v.message}`);
    return Buffer.isBuffer(v) ? v.toString() : String(v);
  } finally {
    await c.close();
  }
}

const replicaOf = (replica: Proc, master: Proc) => command(replica.port, ['REPLICAOF', '127.0.0.1', String(master.port)]);

/** Why this replica is not yet a synced copy of N keys, or undefined when it is. */
function notSynced(i: Info, keys: number | undefined): string | undefined {
  const bad: string[] = [];
  if (i.get('role') !== 'slave') bad.push(`role:${i.get('role')}`);
  if (i.get('master_link_status') !== 'up') bad.push(`master_link_status:${i.get('master_link_status')}`);
  if (i.get('master_sync_in_progress') !== '0') bad.push(`master_sync_in_progress:${i.get('master_sync_in_progress')}`);
  if (keys !== undefined && dbKeys(i) !== keys) bad.push(`keys=${dbKeys(i)} of ${keys}`);
  return bad.length ? bad.join(' ') : undefined;
}

/** Polls the replica every `everyMs` until synced (with `keys` keys if given); ms waited. */
async function waitSynced(replica: Proc, keys: number | undefined, timeoutMs: number, t0: number, timeline: string[] = [], everyMs = 10): Promise<number> {
  const client = await RespClient.connect(replica.port);
  let last = 'no INFO answer yet';
  let phase = '';
  // Each change of link status / sync in progress (or an INFO error), with when and how many keys.
  const note = (now: string, keyCount?: number) => {
    if (now === phase) return;
    phase = now;
    timeline.push(`${(performance.now() - t0).toFixed(0)}ms ${now}${keyCount === undefined ? '' : ` keys=${keyCount}`}`);
  };
  try {
    for (;;) {
      if (replica.child.exitCode !== null || replica.child.signalCode !== null) {
        throw new Error(`replica on port ${replica.port} exited (${replica.child.exitCode ?? replica.child.signalCode}):\n${replica.log()}`);
      }
      try {
        const i = await info(client, 'replication', 'keyspace');
        const why = notSynced(i, keys);
        note(`link=${i.get('master_link_status')} sync=${i.get('master_sync_in_progress')}`, dbKeys(i));
        if (why === undefined) return performance.now() - t0;
        last = why;
      } catch (err) {
        last = `INFO: ${(err as Error).message}`; // e.g. -LOADING while redis loads the RDB
        note(last.split(' ').slice(0, 2).join(' '));
      }
      if (performance.now() - t0 > timeoutMs) throw new Error(`replica on port ${replica.port} not synced after ${(timeoutMs / 1000).toFixed(0)} s; last seen: ${last}`);
      await sleep(everyMs);
    }
  } finally {
    await client.close();
  }
}

interface LagSample {
  /** The master's master_repl_offset. */
  offset: number;
  /** The master's slaveN lines (offsets as of each replica's last REPLCONF ACK). */
  slaves: SlaveLine[];
  /** Each replica's own slave_repl_offset, read right after the master's INFO. */
  replicaOffsets: number[];
}

async function sampleLag(master: Proc, replicas: Proc[]): Promise<LagSample> {
  const clients = await Promise.all([master, ...replicas].map((p) => RespClient.connect(p.port)));
  try {
    const m = await info(clients[0]!, 'replication');
    const reps = await Promise.all(clients.slice(1).map((c) => info(c, 'replication')));
    return { offset: Number(m.get('master_repl_offset')), slaves: slaves(m), replicaOffsets: reps.map((r) => Number(r.get('slave_repl_offset'))) };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Bytes the furthest-behind replica is behind the master (by the replicas' own offsets). */
const behind = (l: LagSample) => Math.max(0, ...l.replicaOffsets.map((o) => l.offset - o));

/**
 * Waits until the master lists every replica online and each replica's own slave_repl_offset
 * has reached the master's master_repl_offset; ms waited.
 */
async function waitCaughtUp(master: Proc, replicas: Proc[], timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  let last = '';
  for (;;) {
    const l = await sampleLag(master, replicas);
    if (l.slaves.length === replicas.length && l.slaves.every((x) => x.state === 'online') && l.replicaOffsets.every((o) => o >= l.offset)) {
      return performance.now() - t0;
    }
    last = `master_repl_offset:${l.offset} slaves:[${l.slaves.map((x) => `${x.state} offset=${x.offset}`).join(', ')}] ` +
      `replicas' slave_repl_offset:[${l.replicaOffsets.join(', ')}]`;
    if (performance.now() - t0 > timeoutMs) throw new Error(`replicas of port ${master.port} not caught up after ${timeoutMs} ms: ${last}`);
    await sleep(10);
  }
}

// ---------------------------------------------------------------------------------------
// Loading N keys

/** A RESP file of SET key:i <25-byte value> for i in [0, n). */
function writeLoadFile(file: string, n: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < n; i += 10_000) {
      let s = '';
      for (let j = i; j < Math.min(n, i + 10_000); j++) {
        const k = `key:${j}`;
        const v = `val:${String(j).padStart(8, '0')}:abcdefghijkl`;
        s += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
      }
      fs.writeSync(fd, s);
    }
  } finally {
    fs.closeSync(fd);
  }
}

async function load(master: Proc, file: string, n: number): Promise<number> {
  const fd = fs.openSync(file, 'r');
  const t0 = performance.now();
  try {
    const run = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(master.port), '--pipe'], {
      stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000,
    });
    const out = `${run.stdout}${run.stderr}`;
    if (run.status !== 0 || !/errors: 0, replies: (\d+)/.test(out)) {
      throw new Error(`redis-cli -p ${master.port} --pipe < ${path.basename(file)}: status ${run.status}\n${out.trim()}`);
    }
  } finally {
    fs.closeSync(fd);
  }
  const ms = performance.now() - t0;
  const got = Number(await command(master.port, ['DBSIZE']));
  if (got !== n) throw new Error(`after loading ${n} keys DBSIZE on port ${master.port} says ${got}`);
  return ms;
}

// ---------------------------------------------------------------------------------------
// redis-benchmark

function benchSet(port: number, pipeline: number, requests: number): number {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-n', String(requests), '-c', '50', '-P', String(pipeline), '-r', '100000', '--csv'];
  const run = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`redis-benchmark ${args.join(' ')}: status ${run.status}\n${run.stderr || run.stdout}`);
  const line = run.stdout.trim().split('\n').find((l) => l.startsWith('"SET"'));
  const rps = Number(line?.split(',')[1]?.replace(/"/g, ''));
  if (!(rps > 0)) throw new Error(`redis-benchmark ${args.join(' ')}: no SET figure in\n${run.stdout}`);
  return rps;
}



const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------------------------------
// 1. Full sync

interface SyncVariant {
  label: string;
  flavor: Flavor;
  /** Master config for this variant, set before the attach and restored after. */
  config?: [string, string];
}

async function syncBench(keys: number, rounds: number, result: ReplicationResult, log: (o: object) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replbench-data-'));
  const masters = new Map<Flavor, Proc>();
  try {
    const file = path.join(dir, 'load.resp');
    writeLoadFile(file, keys);
    for (const flavor of FLAVORS) {
      try {
        const m = await flavor.start();
        masters.set(flavor, m);
        const ms = await load(m, file, keys);
        result.load.push({ side: flavor.side, seconds: ms / 1000 });
        log({ step: 'loaded', side: flavor.side, keys, seconds: ms / 1000 });
      } catch (err) {
        result.errors.push(`${flavor.side} master, loading ${keys} keys: ${errText(err)}`);
        await masters.get(flavor)?.stop();
        masters.delete(flavor);
      }
    }
    const variants: SyncVariant[] = [
      { label: 'redis', flavor: FLAVORS[0]! },
      { label: 'redis delay 0', flavor: FLAVORS[0]!, config: ['repl-diskless-sync-delay', '0'] },
      { label: 'ours', flavor: FLAVORS[1]! },
    ];
    const rows = new Map(variants.map((v) => [v, { side: v.label, keys, seconds: NaN, samples: [] as number[], timelines: [] as string[][], errors: [] as string[] }]));
    const timeoutMs = Math.max(60_000, (keys / 1e6) * 180_000);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const row = rows.get(v)!;
        const master = masters.get(v.flavor);
        if (!master) {
          if (row.errors.length === 0) row.errors.push('no master (see errors)');
          continue;
        }
        let replica: Proc | undefined;
        let restore: string | undefined;
        try {
          if (v.config) {
            restore = (await commandRaw(master.port, ['CONFIG', 'GET', v.config[0]]))[1];
            await command(master.port, ['CONFIG', 'SET', ...v.config]);
          }
          replica = await v.flavor.start();
          const t0 = performance.now();
          await replicaOf(replica, master);
          const timeline: string[] = [];
          row.timelines.push(timeline);
          const ms = await waitSynced(replica, keys, timeoutMs, t0, timeline);
          row.samples.push(ms / 1000);
          log({ step: 'full sync', side: v.label, round: r + 1, keys, seconds: ms / 1000, timeline });
        } catch (err) {
          row.errors.push(`round ${r + 1}: ${errText(err)}`);
          log({ step: 'full sync', side: v.label, round: r + 1, error: errText(err) });
        } finally {
          await replica?.stop();
          if (v.config && restore !== undefined) await command(master.port, ['CONFIG', 'SET', v.config[0], restore]).catch(() => {});
        }
      }
    }
    for (const row of rows.values()) {
      row.seconds = median(row.samples);
      result.sync.push(row);
    }
  } finally {
    for (const m of masters.values()) await m.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A command whose reply is an array of bulk strings. */
async function commandRaw(port: number, argv: string[]): Promise<string[]> {
  const c = await RespClient.connect(port);
  try {
    const v = await c.call(argv);
    if (v instanceof RespError) throw new Error(`${argv.join(' ')} on port ${port}: -${v.message}`);
    return (v as Buffer[]).map((b) => b.toString());
  } finally {
    await c.close();
  }
}

// ---------------------------------------------------------------------------------------
// 2. Write throughput with 0 and 2 replicas

interface WriteSetup {
  flavor: Flavor;
  alone?: Proc;
  master2?: Proc;
  replicas: Proc[];
  error?: string;
}

async function setUp(flavor: Flavor): Promise<WriteSetup> {
  const s: WriteSetup = { flavor, replicas: [] };
  // Both masters get the untimed warm-up before any replica is attached: the replicas
  // then start from a full sync of the same ~18k keys on both sides. (Our master at the
  // replication commit 1cbc326 left a replica that full-synced an empty data set in
  // state=send_bulk for good, even once writes streamed and were ACKed; fixed by 03a3366.)
  const warmUp = (p: Proc) => benchSet(p.port, 1, 20_000);
  try {
    s.alone = await flavor.start();
    warmUp(s.alone);
  } catch (err) {
    s.error = `${flavor.side} master: ${errText(err)}`;
    return s;
  }
  try {
    s.master2 = await flavor.start();
    warmUp(s.master2);
    for (let i = 0; i < 2; i++) s.replicas.push(await flavor.start());
    for (const rep of s.replicas) await replicaOf(rep, s.master2);
    for (const rep of s.replicas) await waitSynced(rep, undefined, 30_000, performance.now());
    await waitCaughtUp(s.master2, s.replicas, 30_000);
  } catch (err) {
    s.error = `${flavor.side} master with 2 replicas: ${errText(err)}`;
  }
  return s;
}

async function tearDown(s: WriteSetup): Promise<void> {
  for (const p of [s.alone, s.master2, ...s.replicas]) await p?.stop();
}

async function writeBench(quick: boolean, rounds: number, result: ReplicationResult, log: (o: object) => void): Promise<void> {
  const setups: WriteSetup[] = [];
  try {
    for (const flavor of FLAVORS) {
      const s = await setUp(flavor);
      setups.push(s);
      if (s.error) result.errors.push(s.error);
    }
    const ready = (s: WriteSetup) => !s.error && s.master2 !== undefined;
    // Let every master's replicas catch up before a run, so no run pays for the previous one.
    const settle = async () => {
      for (const s of setups.filter(ready)) await waitCaughtUp(s.master2!, s.replicas, 60_000).catch((err) => (s.error = errText(err)));
    };
    await settle();

    for (const pipeline of [1, 16]) {
      const requests = (quick ? 50_000 : 200_000) * (pipeline > 1 ? 5 : 1);
      result.requests[pipeline] = requests;
      const rows = new Map(setups.map((s) => [s, {
        side: s.flavor.side, pipeline, rps0: NaN, rps2: NaN, loss: NaN, samples0: [] as number[], samples2: [] as number[],
        maxLagBytes: 0, maxCatchUpMs: 0, cpu0: [] as number[], cpu2: [] as number[], replicaCpu: [] as number[],
        cpuUs0: NaN, cpuUs2: NaN, replicaCpuUs: NaN,
      } as WriteRow]));
      type Target = { s: WriteSetup; with2: boolean };
      const targets: Target[] = setups.flatMap((s) => [{ s, with2: false }, { s, with2: true }]);
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? targets : [...targets].reverse();
        for (const { s, with2 } of order) {
          const row = rows.get(s)!;
          const master = with2 ? (ready(s) ? s.master2 : undefined) : s.alone;
          if (!master) continue;
          await settle();
          try {
            const reps = with2 ? s.replicas : [];
            const cpu0 = [master, ...reps].map((p) => cpuSeconds(p.child.pid));
            const rps = benchSet(master.port, pipeline, requests);
            const masterCpu = cpuSeconds(master.child.pid) - cpu0[0]!;
            (with2 ? row.samples2 : row.samples0).push(rps);
            (with2 ? row.cpu2 : row.cpu0).push((masterCpu / requests) * 1e6);
            const entry: Record<string, unknown> = { step: 'writes', side: s.flavor.side, replicas: with2 ? 2 : 0, pipeline, round: r + 1, rps,
              masterCpuUsPerReq: (masterCpu / requests) * 1e6 };
            if (with2) {
              const lag = await sampleLag(master, s.replicas);
              row.maxLagBytes = Math.max(row.maxLagBytes, behind(lag));
              const ms = await waitCaughtUp(master, s.replicas, 60_000);
              row.maxCatchUpMs = Math.max(row.maxCatchUpMs, ms);
              const repCpu = reps.map((p, k) => cpuSeconds(p.child.pid) - cpu0[k + 1]!);
              row.replicaCpu.push(((repCpu.reduce((a, b) => a + b, 0) / reps.length) / requests) * 1e6);
              Object.assign(entry, { lagBytes: behind(lag), lagS: Math.max(...lag.slaves.map((x) => x.lag)), catchUpMs: Math.round(ms),
                replicaCpuUsPerReq: repCpu.map((c) => (c / requests) * 1e6) });
            }
            log(entry);
          } catch (err) {
            row.error = errText(err);
            log({ step: 'writes', side: s.flavor.side, replicas: with2 ? 2 : 0, pipeline, round: r + 1, error: row.error });
          }
        }
      }
      for (const s of setups) {
        const row = rows.get(s)!;
        row.rps0 = median(row.samples0);
        row.rps2 = median(row.samples2);
        row.cpuUs0 = median(row.cpu0);
        row.cpuUs2 = median(row.cpu2);
        row.replicaCpuUs = median(row.replicaCpu);
        row.loss = 1 - row.rps2 / row.rps0;
        if (!row.error && s.error) row.error = s.error;
        result.writes.push(row);
      }
    }

    // End state: lag right after the last run (one more run, then sample at once), and
    // the key counts once the replicas caught up.
    for (const s of setups.filter(ready)) {
      const end: EndState = { side: s.flavor.side, masterReplOffset: NaN, slaves: [], replicaOffsets: [], catchUpMs: NaN, masterKeys: NaN, replicaKeys: [], match: false };
      try {
        benchSet(s.master2!.port, 16, quick ? 100_000 : 500_000);
        const lag = await sampleLag(s.master2!, s.replicas);
        end.masterReplOffset = lag.offset;
        end.slaves = lag.slaves;
        end.replicaOffsets = lag.replicaOffsets;
        try {
          end.catchUpMs = await waitCaughtUp(s.master2!, s.replicas, 60_000);
        } catch (err) {
          end.error = errText(err);
        }
        end.masterKeys = Number(await command(s.master2!.port, ['DBSIZE']));
        for (const rep of s.replicas) end.replicaKeys.push(Number(await command(rep.port, ['DBSIZE'])));
        end.match = end.replicaKeys.length === 2 && end.replicaKeys.every((k) => k === end.masterKeys);
        if (!end.match) {
          console.error(`!!! ${s.flavor.side}: replicas hold ${end.replicaKeys.join(', ')} keys, master ${end.masterKeys}: MISMATCH`);
        }
      } catch (err) {
        end.error = errText(err);
      }
      result.end.push(end);
      log({ step: 'end', ...end });
    }
  } finally {
    for (const s of setups) await tearDown(s);
  }
}

// ---------------------------------------------------------------------------------------

export async function runReplicationBench(quick: boolean, log: (o: object) => void = () => {}): Promise<ReplicationResult> {
  if (!hasRedisServer) throw new Error('the replication bench needs redis-server, redis-cli and redis-benchmark');
  const keys = quick ? 100_000 : 1_000_000;
  const result: ReplicationResult = {
    keys, syncRounds: quick ? 1 : 5, writeRounds: quick ? 1 : 5, requests: {}, load: [], sync: [], writes: [], end: [], errors: [],
  };
  const onSignal = (sig: NodeJS.Signals) => {
    killAllNow();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', killAllNow);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await syncBench(keys, result.syncRounds, result, log);
    await writeBench(quick, result.writeRounds, result, log);
  } finally {
    killAllNow();
    process.off('exit', killAllNow);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return result;
}
