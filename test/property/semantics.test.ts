// Targeted properties of docs/semantics.md. Concurrency is built explicitly: instances write
// without exchanging effects, then settle(); every instance must show the documented result.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Cluster, HOUR, ReplyError, T0, norm, numRuns, type Argv } from '../support/cluster';

vi.setConfig({ testTimeout: 300_000 });
const check = <T>(p: fc.IProperty<T>, runs = 100) => fc.assert(p, { numRuns: numRuns(runs) });

/** Two distinct writers out of 3 instances (the third only observes). */
const pair = fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 1 })).map(([a, d]) => [a, (a + 1 + d) % 3] as const);
const value = fc.string({ minLength: 1, maxLength: 6 });
const small = fc.integer({ min: -1000, max: 1000 });
const ms = fc.integer({ min: 1, max: 4 }); // clock offsets after the setup write: ties are frequent

/** A cluster of 3 where `setup` ran on instance 3 at T0 and was delivered everywhere. */
function cluster(setup: Argv[] = []): Cluster {
  const c = new Cluster(3);
  if (setup.length) c.run(2, setup);
  c.settle();
  return c;
}
const all = (c: Cluster, argv: Argv, expected: unknown) =>
  c.everywhere(argv).forEach((r, i) => expect(r, `instance ${i + 1}: ${argv.join(' ')}`).toEqual(expected));

describe('strings', () => {
  it('SET || SET: higher stamp wins, exact tie goes to the lower instance id', () =>
    check(fc.property(pair, ms, ms, value, value, ([a, b], ta, tb, va, vb) => {
      const c = cluster([['SET', 'k', 'v0']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['SET', 'k', va]); c.exec(b, ['SET', 'k', vb]);
      c.settle();
      const aWins = ta > tb || (ta === tb && a < b);
      all(c, ['GET', 'k'], aWins ? va : vb);
    })));

  it('INCRBY || INCRBY: the exact sum everywhere (no wrap past 64 bits)', () => {
    const delta = fc.bigInt({ min: -(2n ** 61n), max: 2n ** 61n });
    check(fc.property(fc.array(fc.array(delta, { maxLength: 3 }), { minLength: 3, maxLength: 3 }), (ds) => {
      const c = cluster();
      ds.forEach((list, i) => list.forEach((d) => c.exec(i, ['INCRBY', 'k', String(d)])));
      c.settle();
      const sum = ds.flat().reduce((x, y) => x + y, 0n);
      all(c, ['GET', 'k'], ds.flat().length ? String(sum) : null);
    }));
  });

  it('DEL || SET keeps the SET, whatever the clocks', () =>
    check(fc.property(pair, ms, ms, value, ([a, b], ta, tb, v) => {
      const c = cluster([['SET', 'k', 'v0']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['DEL', 'k']); c.exec(b, ['SET', 'k', v]);
      c.settle();
      all(c, ['GET', 'k'], v);
    })));

  it('DEL || INCRBY keeps only the unseen increment (observed reset)', () =>
    check(fc.property(pair, small, small, fc.boolean(), ([a, b], n, d, asCounter) => {
      const c = cluster([asCounter ? ['INCRBY', 'k', String(n)] : ['SET', 'k', String(n)]]);
      c.exec(a, ['DEL', 'k']); c.exec(b, ['INCRBY', 'k', String(d)]);
      c.settle();
      all(c, ['GET', 'k'], String(d));
    })));

  it('SET n || INCRBY d gives n + d', () =>
    check(fc.property(pair, ms, ms, fc.option(small), small, small, ([a, b], ta, tb, m, n, d) => {
      const c = cluster(m === null ? [] : [['SET', 'k', String(m)]]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['SET', 'k', String(n)]); c.exec(b, ['INCRBY', 'k', String(d)]);
      c.settle();
      all(c, ['GET', 'k'], String(n + d));
    })));

  it('non-numeric SET || INCR shows the SET value', () =>
    check(fc.property(pair, ms, ms, ([a, b], ta, tb) => {
      const c = cluster([['SET', 'k', '5']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['SET', 'k', 'abc']); c.exec(b, ['INCR', 'k']);
      c.settle();
      all(c, ['GET', 'k'], 'abc');
    }), 20));

  it('a causally later SET wins even when its instance is hours behind', () => {
    const skew = fc.constantFrom(0, -3 * HOUR, 3 * HOUR, -1, 5);
    const write = fc.tuple(fc.nat({ max: 2 }), value);
    check(fc.property(fc.array(skew, { minLength: 3, maxLength: 3 }), fc.array(write, { minLength: 1, maxLength: 6 }), (sk, writes) => {
      const c = new Cluster(3, { skew: sk });
      for (const [i, v] of writes) { c.exec(i, ['SET', 'k', v]); c.sync(i); c.tick(1); }
      c.settle();
      all(c, ['GET', 'k'], writes[writes.length - 1][1]);
    }));
  });
});

describe('keys', () => {
  it('a key created concurrently as two types shows the type with the higher stamp; DEL removes both', () =>
    check(fc.property(pair, ms, ms, ([a, b], ta, tb) => {
      const c = cluster();
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['SET', 'k', 'v']); c.exec(b, ['HSET', 'k', 'f', 'v']);
      c.settle();
      const aWins = ta > tb || (ta === tb && a < b);
      all(c, ['TYPE', 'k'], aWins ? 'string' : 'hash');
      c.exec(a, ['DEL', 'k']);
      c.settle();
      all(c, ['EXISTS', 'k'], 0);
    }), 50));
});

describe('tombstones', () => {
  it('a deleted counter leaves a tombstone that is collected once every instance has seen the DEL', () =>
    check(fc.property(pair, small, small, ([a, b], n, d) => {
      const c = cluster([['INCRBY', 'k', String(n)]]);
      c.exec(b, ['INCRBY', 'k', String(d)]);
      c.settle();
      c.exec(a, ['DEL', 'k']);
      c.settle();
      // Every instance tells the others what it has seen by writing something.
      for (let i = 0; i < 3; i++) c.exec(i, ['SET', `ack${i}`, '1']);
      c.settle();
      for (let i = 0; i < 3; i++) c.exec(i, ['SET', `ack${i}`, '2']);
      c.settle();
      all(c, ['EXISTS', 'k'], 0);
      for (const ks of c.nodes) {
        expect(ks.stats().tombstones).toBe(0);
        expect(ks.stats().storedKeys).toBe(3);
      }
      expect(c.nodes.reduce((sum, ks) => sum + ks.stats().tombstonesCollected, 0)).toBeGreaterThan(0);
    }), 50));
});

describe('review regressions', () => {
  it('float counts add up in the same order everywhere, whatever the delivery order', () =>
    check(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.nat({ max: 5 }), (incs, rotation) => {
        const c = new Cluster(3);
        c.nodes.forEach((ks, i) => {
          ks.exec(['INCRBYFLOAT', 's', String(incs[i])]);
          ks.exec(['ZINCRBY', 'z', String(incs[i]), 'm']);
        });
        const effects = c.nodes.map((ks) => ks.drainEffects());
        c.nodes.forEach((ks, i) => {
          const others = [0, 1, 2].filter((j) => j !== i);
          if ((rotation + i) % 2) others.reverse();
          for (const j of others) ks.applyEffects(effects[j]);
        });
        expect(new Set(c.nodes.map((ks) => ks.digest())).size).toBe(1);
      }), 200));

  it('emptying the type a key shows deletes it, hidden concurrent types included', () => {
    const c = new Cluster(2);
    c.exec(0, ['SET', 'k', 's']);
    c.setClock(1, T0 + 5);
    c.exec(1, ['HSET', 'k', 'f', 'v']);
    c.settle();
    all(c, ['TYPE', 'k'], 'hash');
    c.exec(0, ['HDEL', 'k', 'f']);
    c.settle();
    all(c, ['EXISTS', 'k'], 0);
  });

  it('counter tombstones loaded from a snapshot are still collected', () => {
    const c = cluster([['INCR', 'k']]);
    c.exec(1, ['DEL', 'k']);
    c.settle();
    c.restart(1);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) c.exec(i, ['SET', `ack${i}`, String(round)]);
      c.settle();
    }
    for (const ks of c.nodes) expect(ks.stats().tombstones).toBe(0);
  });
});

describe('FLUSHALL', () => {
  it('FLUSHALL || SET keeps the concurrent SET and removes what the flush had seen', () =>
    check(fc.property(pair, value, ([a, b], v) => {
      const c = cluster([['SET', 'old', 'x'], ['SADD', 's', 'm'], ['SET', 'k', 'v0']]);
      c.exec(a, ['FLUSHALL']);
      c.exec(b, ['SET', 'k', v]);
      c.settle();
      all(c, ['GET', 'k'], v);
      all(c, ['EXISTS', 'old', 's'], 0);
      all(c, ['DBSIZE'], 1);
    }), 50));
});

describe('hashes, sets, sorted sets', () => {
  it('HDEL || HSET keeps the field', () =>
    check(fc.property(pair, ms, ms, value, ([a, b], ta, tb, v) => {
      const c = cluster([['HSET', 'h', 'f', 'v0', 'g', '1']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['HDEL', 'h', 'f']); c.exec(b, ['HSET', 'h', 'f', v]);
      c.settle();
      all(c, ['HGET', 'h', 'f'], v);
    })));

  it('SREM || SADD keeps the member; SADD || SADD unions', () =>
    check(fc.property(pair, ms, ms, ([a, b], ta, tb) => {
      const c = cluster([['SADD', 's', 'm', 'x']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.run(a, [['SREM', 's', 'm'], ['SADD', 's', 'y']]); c.run(b, [['SADD', 's', 'm', 'z']]);
      c.settle();
      c.everywhere(['SMEMBERS', 's']).forEach((r) => expect([...(r as string[])].sort()).toEqual(['m', 'x', 'y', 'z']));
    })));

  it('ZREM || ZINCRBY keeps only the increment; ZINCRBY || ZINCRBY adds', () =>
    check(fc.property(pair, small, small, small, ([a, b], s0, d, e) => {
      const c = cluster([['ZADD', 'z', String(s0), 'm']]);
      c.run(a, [['ZREM', 'z', 'm']]); c.run(b, [['ZINCRBY', 'z', String(d), 'm']]);
      c.settle();
      c.everywhere(['ZSCORE', 'z', 'm']).forEach((r) => expect(Number(r)).toBe(d));
      c.exec(a, ['ZINCRBY', 'z', String(e), 'm']); c.exec(b, ['ZINCRBY', 'z', String(e), 'm']);
      c.settle();
      c.everywhere(['ZSCORE', 'z', 'm']).forEach((r) => expect(Number(r)).toBe(d + 2 * e));
    })));

  it('ZADD || ZADD: the score with the higher stamp wins (tie: lower id)', () =>
    check(fc.property(pair, ms, ms, small, small, ([a, b], ta, tb, sa, sb) => {
      const c = cluster([['ZADD', 'z', '0', 'm']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['ZADD', 'z', String(sa), 'm']); c.exec(b, ['ZADD', 'z', String(sb), 'm']);
      c.settle();
      const aWins = ta > tb || (ta === tb && a < b);
      c.everywhere(['ZSCORE', 'z', 'm']).forEach((r) => expect(Number(r)).toBe(aWins ? sa : sb));
    })));
});

describe('expiration', () => {
  it('EXPIRE || EXPIRE: the longer TTL wins', () =>
    check(fc.property(pair, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), ([a, b], s1, s2) => {
      const c = cluster([['SET', 'k', 'v']]);
      c.exec(a, ['EXPIRE', 'k', String(s1)]); c.exec(b, ['EXPIRE', 'k', String(s2)]);
      c.settle();
      all(c, ['PTTL', 'k'], Math.max(s1, s2) * 1000);
    })));

  it('PERSIST || EXPIRE: no TTL', () =>
    check(fc.property(pair, fc.integer({ min: 1, max: 1000 }), ([a, b], s) => {
      const c = cluster([['SET', 'k', 'v', 'EX', '100']]);
      c.exec(a, ['PERSIST', 'k']); c.exec(b, ['EXPIRE', 'k', String(s)]);
      c.settle();
      all(c, ['TTL', 'k'], -1);
    })));

  it('SET without KEEPTTL || EXPIRE: the EXPIRE survives', () =>
    check(fc.property(pair, ([a, b]) => {
      const c = cluster([['SET', 'k', 'v']]);
      c.exec(a, ['SET', 'k', 'w']); c.exec(b, ['EXPIRE', 'k', '50']);
      c.settle();
      all(c, ['PTTL', 'k'], 50_000);
    }), 20));

  it('an expired key is invisible everywhere and its owner deletes it', () => {
    // Commands on the owner after expiry: reads of the key, and (per the brief) unrelated commands.
    const touch = fc.constantFrom<Argv[]>([['GET', 'k']], [['EXISTS', 'k']], [['TTL', 'k']], [['DBSIZE']], [['GET', 'other']]);
    check(fc.property(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.boolean(), touch, fc.nat({ max: 2 }), (setter, owner, viaSet, cmd, writer) => {
      const c = cluster([['SET', 'other', 'x']]);
      c.exec(setter, ['SET', 'k', '5']);
      c.sync(setter);
      if (viaSet && setter === owner) c.exec(owner, ['SET', 'k', '5', 'PX', '1000']);
      else c.exec(owner, ['PEXPIRE', 'k', '1000']);
      c.settle();
      all(c, ['EXISTS', 'k'], 1);
      c.tick(1001);
      for (const i of [0, 1, 2].filter((i) => i !== owner)) {
        expect(norm(c.exec(i, ['GET', 'k'])), `GET on non-owner ${i + 1}`).toBe(null);
        expect(c.exec(i, ['EXISTS', 'k']), `EXISTS on non-owner ${i + 1}`).toBe(0);
      }
      c.drainAll();
      c.run(owner, cmd);
      expect(c.drain(owner).length, 'owner emits the delete effect').toBeGreaterThan(0);
      c.settle();
      all(c, ['EXISTS', 'k'], 0);
      all(c, ['DBSIZE'], 1);
      c.nodes.forEach((ks, i) => expect([ks.stats().keys, ks.stats().storedKeys], `stats() keys, storedKeys on ${i + 1}`).toEqual([1, 1]));
      expect(new Set(c.nodes.map((ks) => ks.digest())).size, 'digests agree').toBe(1);
      c.exec(writer, ['INCR', 'k']); // a write to a deleted (expired) key starts from nothing
      c.settle();
      all(c, ['GET', 'k'], '1');
      all(c, ['TTL', 'k'], -1);
    }), 60);
  });

  it('a write to an expired key on a non-owner deletes it first', () =>
    check(fc.property(pair, fc.boolean(), ([owner, w], incr) => {
      const c = cluster([['SET', 'k', '5']]);
      c.exec(owner, ['PEXPIRE', 'k', '1000']);
      c.settle();
      c.tick(2000);
      c.exec(w, incr ? ['INCR', 'k'] : ['APPEND', 'k', 'x']);
      c.settle();
      all(c, ['GET', 'k'], incr ? '1' : 'x');
      all(c, ['TTL', 'k'], -1);
    }), 30));
});

describe('lists', () => {
  const push = fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), fc.integer({ min: 1, max: 2 }));
  it('concurrent pushes: same order everywhere, each instance keeps its own order', () =>
    check(fc.property(fc.array(fc.array(push, { maxLength: 4 }), { minLength: 3, maxLength: 3 }), fc.nat({ max: 3 }), (pushes, init) => {
      const c = cluster(init ? [['RPUSH', 'l', ...Array.from({ length: init }, (_, j) => `i.${j}`)]] : []);
      const local = pushes.map((list, i) => {
        let j = 0;
        c.run(i, list.map(([cmd, n]) => [cmd, 'l', ...Array.from({ length: n }, () => `${i}.${j++}`)]));
        return norm(c.exec(i, ['LRANGE', 'l', '0', '-1'])) as string[];
      });
      c.settle();
      const final = c.everywhere(['LRANGE', 'l', '0', '-1']);
      final.forEach((r) => expect(r).toEqual(final[0]));
      const list = final[0] as string[];
      expect(list.length).toBe(init + pushes.flat().reduce((s, [, n]) => s + n, 0));
      local.forEach((mine, i) => {
        const own = (v: string) => v.startsWith(`${i}.`) || v.startsWith('i.');
        expect(list.filter(own)).toEqual(mine.filter(own));
      });
    })));

  it('causally ordered pushes keep their order, whatever the clocks', () => {
    const op = fc.tuple(fc.nat({ max: 2 }), fc.boolean());
    const skew = fc.constantFrom(0, -3 * HOUR, 3 * HOUR, -1);
    check(fc.property(fc.array(skew, { minLength: 3, maxLength: 3 }), fc.array(op, { minLength: 1, maxLength: 10 }), (sk, ops) => {
      const c = new Cluster(3, { skew: sk });
      const model: string[] = [];
      ops.forEach(([i, left], j) => {
        c.exec(i, [left ? 'LPUSH' : 'RPUSH', 'l', `v${j}`]);
        if (left) model.unshift(`v${j}`); else model.push(`v${j}`);
        c.sync(i);
      });
      c.settle();
      all(c, ['LRANGE', 'l', '0', '-1'], model);
    }));
  });

  it('LSET || LREM of the same element: it stays removed', () =>
    check(fc.property(pair, ms, ms, ([a, b], ta, tb) => {
      const c = cluster([['RPUSH', 'l', 'a', 'b', 'c']]);
      c.setClock(a, T0 + ta); c.setClock(b, T0 + tb);
      c.exec(a, ['LSET', 'l', '1', 'X']); c.exec(b, ['LREM', 'l', '0', 'b']);
      c.settle();
      all(c, ['LRANGE', 'l', '0', '-1'], ['a', 'c']);
    }), 30));

  it('concurrent pops may both return the same element; within one instance exactly once', () => {
    const c = cluster([['RPUSH', 'l', 'a', 'b', 'c']]);
    expect(norm(c.exec(0, ['LPOP', 'l']))).toBe('a');
    expect(norm(c.exec(1, ['LPOP', 'l']))).toBe('a');
    expect(norm(c.exec(1, ['LPOP', 'l']))).toBe('b');
    c.settle();
    all(c, ['LRANGE', 'l', '0', '-1'], ['c']);
  });
});

describe('applyEffects input', () => {
  it('a truncated effect buffer or snapshot throws and leaves the keyspace unchanged', () => {
    const cmd = fc.constantFrom<Argv>(['SET', 'k', 'v'], ['INCR', 'n'], ['HSET', 'h', 'f', '1'], ['SADD', 's', 'm'], ['RPUSH', 'l', 'x'], ['ZADD', 'z', '1', 'm'], ['DEL', 'k']);
    check(fc.property(fc.array(cmd, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.nat(), (cmds, snap, cut) => {
      const c = cluster([['SET', 'x', '1']]);
      c.run(0, [['SET', 'w', '1'], ...cmds]); // at least one effect
      const buf = snap ? c.nodes[0].snapshot() : c.nodes[0].drainEffects();
      const bad = buf.subarray(0, 1 + (cut % (buf.length - 1))); // 1 .. length-1 bytes
      const before = [c.nodes[1].digest(), c.nodes[1].snapshot()];
      expect(() => c.nodes[1].applyEffects(bad)).toThrow();
      expect([c.nodes[1].digest(), c.nodes[1].snapshot()]).toEqual(before);
      c.nodes[1].applyEffects(buf);
      expect(c.nodes[1].digest()).toBe(c.nodes[0].digest());
    }), 200);
  });
});

describe('state size does not grow with overwrites', () => {
  const growth = (write: (i: number) => Argv, two = false) => {
    const c = new Cluster(2);
    const run = (from: number, to: number) => {
      for (let i = from; i < to; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, to - i) }, (_, j) => write(i + j));
        if (!two) expect(c.run(0, batch).filter((r) => r instanceof ReplyError)).toEqual([]);
        else batch.forEach((cmd, j) => { c.exec(j % 2, cmd); c.sync(j % 2); });
      }
      c.settle();
    };
    run(0, 10);
    const at10 = c.nodes.map((ks) => ks.snapshot().length);
    run(10, 10_000);
    c.nodes.forEach((ks, i) => expect(ks.snapshot().length, `instance ${i + 1}`).toBeLessThanOrEqual(at10[i] + 32));
  };
  it('SET', () => growth((i) => ['SET', 'k', `v${i % 10}`]));
  it('INCR', () => growth(() => ['INCR', 'k']));
  it('HSET field', () => growth((i) => ['HSET', 'h', 'f', `${i % 10}`]));
  it('SADD/SREM member', () => growth((i) => (i % 2 ? ['SADD', 's', 'm'] : ['SREM', 's', 'm'])));
  it('ZADD/ZINCRBY member', () => growth((i) => (i % 2 ? ['ZADD', 'z', `${i % 10}`, 'm'] : ['ZINCRBY', 'z', '1', 'm'])));
  it('SET and INCR alternating between two synced instances', () => {
    growth((i) => ['SET', 'k', `v${i % 10}`], true);
    growth(() => ['INCR', 'k'], true);
  });
});
