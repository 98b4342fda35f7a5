// Convergence: random histories on 3..5 instances, random partial/duplicated/reordered
// deliveries, snapshots and restarts; after settle() every instance shows the same data.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Cluster, HOUR, expectConverged, numRuns, stepArb, type Argv } from '../support/cluster';

const KEYS = ['k1', 'k2', 'k3'];
const key = fc.constantFrom(...KEYS);
const field = fc.constantFrom('f1', 'f2', 'f3');
const member = fc.constantFrom('m1', 'm2', 'm3');
const val = fc.constantFrom('1', '-3', '10', '2.5', 'a', 'xyz', '');
const int = fc.integer({ min: -5, max: 10 }).map(String);
const float = fc.constantFrom('0.1', '1.5', '-2.25', '3', '1e2');
const score = fc.constantFrom('0', '1', '2.5', '-1', '10');
const one = <T extends string>(...xs: T[]) => fc.constantFrom(...xs);
const opts = (...xs: string[][]) => fc.constantFrom<string[]>([], ...xs);

type Part = string | fc.Arbitrary<string> | fc.Arbitrary<string[]>;
/** A command from constant words and arbitraries; string[] parts are spliced in. */
const c = (...parts: Part[]): fc.Arbitrary<Argv> =>
  fc.tuple(...parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p)) as fc.Arbitrary<string | string[]>[])
    .map((xs) => xs.flat());

const families: Record<string, fc.Arbitrary<Argv>> = {
  strings: fc.oneof(
    c('SET', key, val, opts(['EX', '1'], ['EX', '3'], ['PX', '500'], ['PX', '2500'], ['KEEPTTL']),
      opts(['NX'], ['XX']), opts(['GET'])),
    c('DEL', key), c('DEL', key, key),
    c('INCR', key), c('INCRBY', key, int), c('DECRBY', key, int), c('INCRBYFLOAT', key, float),
    c('APPEND', key, val), c('SETRANGE', key, one('0', '1', '4'), one('z', 'yy')),
    c('EXPIRE', key, one('0', '1', '2', '5')), c('PEXPIRE', key, one('300', '1200', '4000')),
    c('PERSIST', key), c('RENAME', key, key),
  ),
  hashes: fc.oneof(
    c('HSET', key, field, val), c('HSET', key, field, val, field, val), c('HDEL', key, field),
    c('HINCRBY', key, field, int), c('HINCRBYFLOAT', key, field, float), c('DEL', key),
  ),
  sets: fc.oneof(
    c('SADD', key, member), c('SADD', key, member, member), c('SREM', key, member),
    c('SPOP', key), c('SPOP', key, '2'), c('SMOVE', key, key, member), c('DEL', key),
  ),
  zsets: fc.oneof(
    c('ZADD', key, opts(['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['XX', 'GT'], ['INCR']), score, member),
    c('ZADD', key, score, member, score, member), c('ZINCRBY', key, int, member),
    c('ZREM', key, member), c('ZPOPMIN', key), c('ZPOPMIN', key, '2'), c('DEL', key),
  ),
  lists: fc.oneof(
    c('LPUSH', key, val), c('RPUSH', key, val, val), c('LPOP', key), c('RPOP', key, '2'),
    c('LSET', key, one('0', '1', '-1', '3'), val), c('LINSERT', key, one('BEFORE', 'AFTER'), val, val),
    c('LREM', key, one('0', '1', '-1'), val), c('LTRIM', key, one('0', '1', '-2'), one('-1', '1', '0')),
    c('LMOVE', key, key, one('LEFT', 'RIGHT'), one('LEFT', 'RIGHT')), c('DEL', key),
  ),
};
const mixed = fc.oneof(...Object.values(families), c('EXPIRE', key, one('1', '3')), c('PERSIST', key), c('RENAME', key, key));

// Mostly small skews; sometimes an instance is hours behind (or ahead).
const skews = fc.array(
  fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -2000, max: 2000 }) }, { weight: 1, arbitrary: fc.constantFrom(-3 * HOUR, 2 * HOUR) }),
  { minLength: 5, maxLength: 5 },
);

function converges(cmd: fc.Arbitrary<Argv>, runs: number, maxSteps: number) {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 5 }), skews, fc.array(stepArb(cmd), { maxLength: maxSteps, size: 'medium' }), (n, skew, steps) => {
      const cl = new Cluster(n, { skew });
      for (const s of steps) cl.step(s);
      expectConverged(cl, KEYS);
    }),
    { numRuns: numRuns(runs) },
  );
}

describe('convergence after settle()', () => {
  it('all families mixed', () => converges(mixed, 1500, 50), 600_000);
  for (const [name, cmd] of Object.entries(families)) {
    it(name, () => converges(cmd, 300, 30), 600_000);
  }
});
