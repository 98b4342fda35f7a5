// Test cluster for property tests: N keyspaces (instance ids 1..N) with manual clocks,
// explicit effect delivery (reordered, duplicated, batched, replaced by snapshots),
// restarts from snapshots, and helpers to read back and compare visible data.
import fc from 'fast-check';
import { expect } from 'vitest';
import { Keyspace, ReplyError } from '../../lib/index';

export { Keyspace, ReplyError };
export type Argv = string[];
export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;

/** numRuns for a property: PROPERTY_RUNS=5000 sets it, PROPERTY_RUNS=x10 multiplies it. */
export function numRuns(base: number): number {
  const env = process.env.PROPERTY_RUNS;
  if (!env) return base;
  if (env.startsWith('x')) return Math.max(1, Math.round(base * Number(env.slice(1))));
  return Number(env);
}

/** Replies as plain JSON-comparable values: Buffer -> latin1 string, bigint -> string. */
export function norm(r: unknown): unknown {
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  if (typeof r === 'bigint') return r.toString();
  if (r instanceof ReplyError) return `ERR(${r.message})`;
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

interface Delivery { from: number; buf: Buffer }

export type Step =
  | { t: 'cmd'; on: number; cmds: Argv[] }
  | { t: 'tick'; ms: number }
  | { t: 'drain'; on: number }
  | { t: 'deliver'; to: number; picks: number[]; keep: boolean }
  | { t: 'snapshot'; from: number; to: number }
  | { t: 'restart'; on: number };

/** A schedule step; instance numbers are taken modulo the cluster size. */
export function stepArb(cmd: fc.Arbitrary<Argv>): fc.Arbitrary<Step> {
  const who = fc.nat({ max: 4 });
  const w = (weight: number, arbitrary: fc.Arbitrary<Step>) => ({ weight, arbitrary });
  return fc.oneof(
    w(12, fc.record({ t: fc.constant('cmd' as const), on: who, cmds: fc.array(cmd, { minLength: 1, maxLength: 4 }) })),
    w(2, fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 1500 }) })),
    w(4, fc.record({ t: fc.constant('drain' as const), on: who })),
    w(5, fc.record({
      t: fc.constant('deliver' as const), to: who,
      picks: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 4 }), keep: fc.boolean(),
    })),
    w(1, fc.record({ t: fc.constant('snapshot' as const), from: who, to: who })),
    w(1, fc.record({ t: fc.constant('restart' as const), on: who })),
  );
}

export class Cluster {
  readonly n: number;
  readonly nodes: Keyspace[] = [];
  /** pending[i]: drained effect buffers not yet delivered to instance i (ids are i + 1). */
  readonly pending: Delivery[][] = [];
  now: number;
  readonly skew: number[];

  constructor(n: number, opts: { start?: number; skew?: number[] } = {}) {
    this.n = n;
    this.now = opts.start ?? T0;
    this.skew = Array.from({ length: n }, (_, i) => opts.skew?.[i] ?? 0);
    for (let i = 0; i < n; i++) {
      this.nodes.push(new Keyspace({ instanceId: i + 1, time: this.clock(i) }));
      this.pending.push([]);
    }
  }

  clock(i: number): number { return this.now + this.skew[i]; }
  /** Advance the shared time; every instance keeps its skew. */
  tick(ms: number): void {
    this.now += ms;
    this.nodes.forEach((ks, i) => ks.setTime(this.clock(i)));
  }
  /** Set one instance's clock to an absolute time (changes its skew). */
  setClock(i: number, ms: number): void {
    this.skew[i] = ms - this.now;
    this.nodes[i].setTime(ms);
  }
  /** Put every clock at the latest one (no clock moves backwards) and remove skew. */
  alignClocks(): void {
    this.now = Math.max(...this.nodes.map((_, i) => this.clock(i)));
    this.skew.fill(0);
    this.tick(0);
  }

  exec(i: number, argv: Argv): unknown { return this.nodes[i].exec(argv); }
  run(i: number, cmds: Argv[]): unknown[] { return this.nodes[i].execMany(cmds); }
  /** The normalized reply of argv on every instance. */
  everywhere(argv: Argv): unknown[] { return this.nodes.map((ks) => norm(ks.exec(argv))); }

  /** Drain instance i's effects and queue them for every other instance. */
  drain(i: number): Buffer {
    const buf = this.nodes[i].drainEffects();
    if (buf.length > 0) this.pending.forEach((q, j) => { if (j !== i) q.push({ from: i, buf }); });
    return buf;
  }
  drainAll(): void { for (let i = 0; i < this.n; i++) this.drain(i); }

  /** Deliver pending buffers picked by index (mod queue length), one by one; keep = re-deliverable later. */
  deliver(to: number, picks: number[], keep = false): void {
    const q = this.pending[to];
    if (q.length === 0) return;
    const chosen = picks.map((p) => q[p % q.length]);
    for (const d of chosen) this.nodes[to].applyEffects(d.buf);
    if (!keep) this.pending[to] = q.filter((d) => !chosen.includes(d));
  }
  /** Full sync: deliver a snapshot of `from` to `to`, replacing the pending buffers from `from`. */
  snapshotTo(from: number, to: number): void {
    this.nodes[to].applyEffects(this.nodes[from].snapshot());
    this.pending[to] = this.pending[to].filter((d) => d.from !== from);
  }
  /** Restart instance i from its own snapshot (its effects are drained first, as a persisted log would be). */
  restart(i: number): void {
    this.drain(i);
    this.nodes[i] = Keyspace.fromSnapshot(this.nodes[i].snapshot(), { instanceId: i + 1, time: this.clock(i) });
  }
  /** Drain i and deliver everything pending from i to all others (a causal hand-off). */
  sync(from: number): void {
    this.drain(from);
    for (let to = 0; to < this.n; to++) {
      const mine = this.pending[to].filter((d) => d.from === from);
      for (const d of mine) this.nodes[to].applyEffects(d.buf);
      this.pending[to] = this.pending[to].filter((d) => d.from !== from);
    }
  }
  /** Deliver everything outstanding to everyone, draining again until quiescent. */
  settle(): void {
    for (let round = 0; round < 20; round++) {
      this.drainAll();
      if (this.pending.every((q) => q.length === 0)) return;
      this.pending.forEach((q, to) => {
        this.pending[to] = [];
        for (const d of q) this.nodes[to].applyEffects(d.buf);
      });
    }
    throw new Error('settle(): effects still produced after 20 rounds');
  }

  step(s: Step): void {
    switch (s.t) {
      case 'cmd': this.run(s.on % this.n, s.cmds); break;
      case 'tick': this.tick(s.ms); break;
      case 'drain': this.drain(s.on % this.n); break;
      case 'deliver': this.deliver(s.to % this.n, s.picks, s.keep); break;
      case 'snapshot': {
        const from = s.from % this.n;
        this.snapshotTo(from, from === s.to % this.n ? (from + 1) % this.n : s.to % this.n);
        break;
      }
      case 'restart': this.restart(s.on % this.n); break;
    }
  }
}

/** Visible data of the given keys, read back with commands. */
export function view(ks: Keyspace, keys: string[]): unknown[] {
  const types = ks.execMany(keys.map((k) => ['TYPE', k])).map(norm);
  const read = (k: string, t: unknown): Argv => {
    switch (t) {
      case 'string': return ['GET', k];
      case 'hash': return ['HGETALL', k];
      case 'set': return ['SMEMBERS', k];
      case 'zset': return ['ZRANGE', k, '0', '-1', 'WITHSCORES'];
      case 'list': return ['LRANGE', k, '0', '-1'];
      default: return ['EXISTS', k];
    }
  };
  const vals = ks.execMany(keys.map((k, i) => read(k, types[i]))).map(norm);
  const ttls = ks.execMany(keys.map((k) => ['PTTL', k])).map(norm);
  return keys.map((k, i) => {
    let v = vals[i];
    if (types[i] === 'hash' && Array.isArray(v)) {
      const pairs: string[][] = [];
      for (let j = 0; j < v.length; j += 2) pairs.push([v[j], v[j + 1]]);
      v = pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    } else if (types[i] === 'set' && Array.isArray(v)) v = [...v].sort();
    return { key: k, type: types[i], value: v, pttl: ttls[i] };
  }).concat([{ dbsize: norm(ks.exec(['DBSIZE'])) } as never]);
}

/** Settle, align clocks, let owners delete expired keys, settle again, then compare everything. */
export function expectConverged(c: Cluster, keys: string[]): void {
  c.settle();
  c.alignClocks();
  c.nodes.forEach((ks) => view(ks, keys));
  c.settle();
  const views = c.nodes.map((ks) => view(ks, keys));
  for (let i = 1; i < c.n; i++) expect(views[i], `instance ${i + 1} vs 1`).toEqual(views[0]);
  const digests = c.nodes.map((ks) => ks.digest());
  for (let i = 1; i < c.n; i++) expect(digests[i], `digest of instance ${i + 1} vs 1`).toBe(digests[0]);
}
