// A list packs its elements in chunks (native/crdt/list_seq.cc): an element costs a few
// bytes beside its value, and a chunk is sized to what it holds, a large value included.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../lib/index';

describe('list memory', () => {
  it('pushed elements cost a few bytes beside their values', () => {
    for (const cmd of ['LPUSH', 'RPUSH']) {
      const ks = new Keyspace({ instanceId: 1 });
      const empty = ks.memoryUsage();
      const n = 100_000;
      for (let i = 0; i < n; i += 1000) ks.exec([cmd, 'l', ...Array.from({ length: 1000 }, (_, j) => `v${String(i + j).padStart(7, '0')}`)]);
      expect(ks.exec(['LLEN', 'l'])).toBe(n);
      // 8-byte values; an element took 48 bytes and its value inline before packing.
      expect((ks.memoryUsage() - empty) / n).toBeLessThan(20);
    }
  });

  it('a large value takes about its size', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const empty = ks.memoryUsage();
    const big = 'x'.repeat(1 << 20);
    ks.exec(['RPUSH', 'l', big]);
    expect((ks.memoryUsage() - empty) / big.length).toBeLessThan(1.05);
    ks.exec(['RPUSH', 'l', big]);
    ks.exec(['LPUSH', 'l', 'small']);
    expect((ks.memoryUsage() - empty) / (2 * big.length)).toBeLessThan(1.05);
    const got = ks.exec(['LRANGE', 'l', '0', '-1']) as Buffer[];
    expect(got.map((b) => b.length)).toEqual([5, big.length, big.length]);
    expect(got[0]!.toString() + got[1]!.equals(Buffer.from(big)) + got[2]!.equals(Buffer.from(big))).toBe('smalltruetrue');
  });
});
