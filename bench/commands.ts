// The commands the benches send: N distinct argvs per command family, small values.
export type Argv = string[];

const pad = (i: number) => String(i).padStart(7, '0');
/** An 8-byte value that redis cannot store as an integer. */
export const value8 = (i: number) => 'v' + pad(i);

/** Families for the throughput bench; `i` runs over 0..N-1, keys spread as noted. */
export const families: Record<string, (i: number) => Argv> = {
  SET: (i) => ['SET', 'key:' + pad(i), value8(i)],
  GET: (i) => ['GET', 'key:' + pad(i)],
  INCR: (i) => ['INCR', 'ctr:' + (i % 1000)],
  SADD: (i) => ['SADD', 'set:' + (i % 100), 'm:' + pad(i)],
  HSET: (i) => ['HSET', 'hash:' + (i % 100), 'f:' + pad(i), value8(i)],
  ZADD: (i) => ['ZADD', 'zset:' + (i % 100), String(i), 'm:' + pad(i)],
  LPUSH: (i) => ['LPUSH', 'list:' + (i % 100), value8(i)],
};

/** Data sets for the memory bench: `count` commands, one key or element each. */
export const datasets: Record<string, { count: number; unit: string; cmd: (i: number) => Argv }> = {
  strings: { count: 1_000_000, unit: 'key', cmd: (i) => ['SET', 'key:' + pad(i), value8(i)] },
  hash: { count: 100_000, unit: 'field', cmd: (i) => ['HSET', 'hash', 'f:' + pad(i), value8(i)] },
  set: { count: 100_000, unit: 'member', cmd: (i) => ['SADD', 'set', 'm:' + pad(i)] },
  zset: { count: 100_000, unit: 'member', cmd: (i) => ['ZADD', 'zset', String(i), 'm:' + pad(i)] },
  list: { count: 100_000, unit: 'element', cmd: (i) => ['RPUSH', 'list', value8(i)] },
};

/** Commands from..to-1 of a generator, as one batch. */
export function batch(cmd: (i: number) => Argv, from: number, to: number): Argv[] {
  const out: Argv[] = [];
  for (let i = from; i < to; i++) out.push(cmd(i));
  return out;
}
