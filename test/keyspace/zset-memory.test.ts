// A sorted set gives memory back as it shrinks: its order's nodes merge and its member map
// shrinks, so a zset drained from 20000 members to 100 costs about what 100 members cost.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../lib/index';
import { mulberry32 } from '../support/random';

const N = 20_000, KEEP = 100;
const name = (i: number) => `member:${i}`;

describe('zset memory', () => {
  it('a drained zset costs about what a zset of its size costs', () => {
    const next = mulberry32(3);
    const drained = new Keyspace({ instanceId: 1 });
    const empty = drained.memoryUsage();
    for (let i = 0; i < N; i += 500)
      drained.exec(['ZADD', 'z', ...Array.from({ length: 500 }, (_, j) => [String(Math.floor(next() * 1e6)), name(i + j)]).flat()]);
    const full = drained.memoryUsage() - empty;
    const order = Array.from({ length: N }, (_, i) => i).sort(() => next() - 0.5);
    for (let i = 0; i < N - KEEP; i += 500) drained.exec(['ZREM', 'z', ...order.slice(i, Math.min(i + 500, N - KEEP)).map(name)]);
    expect(drained.exec(['ZCARD', 'z'])).toBe(KEEP);

    const fresh = new Keyspace({ instanceId: 1 });
    const kept = drained.exec(['ZRANGE', 'z', '0', '-1', 'WITHSCORES']) as Buffer[];
    fresh.exec(['ZADD', 'z', ...kept.flatMap((_, i) => (i % 2 ? [] : [String(kept[i + 1]), String(kept[i])]))]);
    expect(fresh.exec(['ZRANGE', 'z', '0', '-1', 'WITHSCORES'])).toEqual(kept);

    const left = drained.memoryUsage() - empty, small = fresh.memoryUsage() - empty;
    expect(full).toBeGreaterThan(100 * small);
    // Without merging, each of the 100 members would keep a 1 KB leaf of its own.
    expect(left).toBeLessThan(3 * small);
  });
});
