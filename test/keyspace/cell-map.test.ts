// Hashes and sets large enough to grow, shrink and erase in their tables' every way (past the
// small-map limit too), checked against a plain model after each step and across replicas.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../lib/index';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hashOf = (ks: Keyspace, key: string) => {
  const flat = (ks.exec(['HGETALL', key]) as Buffer[]).map(String);
  const out = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
  return out;
};
const setOf = (ks: Keyspace, key: string) => new Set((ks.exec(['SMEMBERS', key]) as Buffer[]).map(String));

describe('hash fields and set members', () => {
  it('follow a model through adds, overwrites, removals and counters', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const random = rng(7);
    const hash = new Map<string, string>();
    const set = new Set<string>();
    // Names of either inline (up to 15 bytes) or heap length.
    const name = () => (random() < 0.5 ? `f${Math.floor(random() * 600)}` : `a-longer-field-name-${Math.floor(random() * 600)}`);
    for (let step = 0; step < 6000; step++) {
      const r = random();
      const n = name();
      if (r < 0.35) {
        const args = [n, String(step)];
        if (random() < 0.3) args.push(name(), 'x', n, `${step}b`);
        ks.exec(['HSET', 'h', ...args]);
        for (let i = 0; i < args.length; i += 2) hash.set(args[i]!, args[i + 1]!);
        ks.exec(['SADD', 's', n]);
        set.add(n);
      } else if (r < 0.45) {
        const was = hash.has(n) && /^-?\d+$/.test(hash.get(n)!) ? BigInt(hash.get(n)!) : hash.has(n) ? undefined : 0n;
        if (was === undefined) continue;
        expect(ks.exec(['HINCRBY', 'h', n, '3'])).toBe(Number(was + 3n));
        hash.set(n, String(was + 3n));
      } else if (r < 0.75) {
        expect(ks.exec(['HDEL', 'h', n])).toBe(hash.delete(n) ? 1 : 0);
        expect(ks.exec(['SREM', 's', n])).toBe(set.delete(n) ? 1 : 0);
      } else if (r < 0.8 && set.size) {
        const popped = String(ks.exec(['SPOP', 's']));
        expect(set.delete(popped)).toBe(true);
      } else if (r < 0.82) {
        // Empties most of both, so that their tables shrink.
        for (const f of [...hash.keys()].slice(0, Math.floor(hash.size * 0.9))) {
          ks.exec(['HDEL', 'h', f]);
          hash.delete(f);
        }
        for (const m of [...set].slice(0, Math.floor(set.size * 0.9))) {
          ks.exec(['SREM', 's', m]);
          set.delete(m);
        }
      }
      if (step % 500 === 0 || step === 5999) {
        expect(hashOf(ks, 'h')).toEqual(hash);
        expect(setOf(ks, 's')).toEqual(set);
        expect(ks.exec(['HLEN', 'h'])).toBe(hash.size);
        expect(ks.exec(['SCARD', 's'])).toBe(set.size);
        for (const [f, v] of hash) expect(String(ks.exec(['HGET', 'h', f]))).toBe(v);
      }
    }
    const copy = Keyspace.fromSnapshot(ks.snapshot(), { instanceId: 2 });
    expect(copy.digest()).toBe(ks.digest());
    expect(hashOf(copy, 'h')).toEqual(hash);
  });

  it('keep the order of a small hash after removals, as Redis', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.exec(['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'a', '4', 'd', '5']);
    ks.exec(['HDEL', 'h', 'b']);
    ks.exec(['HSET', 'h', 'b', '6']);
    expect((ks.exec(['HGETALL', 'h']) as Buffer[]).map(String)).toEqual(['a', '4', 'c', '3', 'd', '5', 'b', '6']);
  });

  it('converge when replicas remove what the other added, by effects and by snapshot', () => {
    const a = new Keyspace({ instanceId: 1 });
    const b = new Keyspace({ instanceId: 2 });
    const members = Array.from({ length: 3000 }, (_, i) => `m${i}`);
    a.exec(['SADD', 's', ...members]);
    a.exec(['HSET', 'h', ...members.flatMap((m) => [m, m])]);
    b.applyEffects(a.drainEffects());
    b.exec(['SREM', 's', ...members.filter((_, i) => i % 3 === 0)]);
    b.exec(['HDEL', 'h', ...members.filter((_, i) => i % 2 === 0)]);
    a.exec(['SADD', 's', 'm0', 'new']);
    const fromB = b.drainEffects();
    b.applyEffects(a.drainEffects());
    a.applyEffects(fromB);
    expect(a.digest()).toBe(b.digest());
    expect(a.exec(['SCARD', 's'])).toBe(2000 + 2);
    expect(a.exec(['HLEN', 'h'])).toBe(1500);
    // A snapshot join drops the cells the sender had seen and no longer holds.
    const c = Keyspace.fromSnapshot(a.snapshot(), { instanceId: 3 });
    c.exec(['HDEL', 'h', ...members.filter((_, i) => i % 4 === 1)]);
    a.applyEffects(c.snapshot());
    expect(a.digest()).toBe(c.digest());
    expect(a.exec(['HLEN', 'h'])).toBe(750);
  });
});
