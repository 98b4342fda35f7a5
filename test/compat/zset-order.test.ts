// Big sorted sets, compared with a real redis-server: thousands of members, so that the
// order (native/crdt/zset_order.cc, a B+ tree with ranks) has several levels, splits and
// merges its nodes, and moves members between indices of the member map. Scripts come from
// a seeded generator: every run sends the same commands.
import { type Argv } from '../support/resp';
import { compatSuite, type Script } from '../support/compat';
import { mulberry32 } from '../support/random';

function generator(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

// Members named m0..m(n-1), with ties among the scores so that names break them.
const member = (i: number) => `m${i}`;
const fullRange = (key: string): Argv => ['ZRANGE', key, '0', '-1', 'WITHSCORES'];

function randomWrites(seed: number): Script {
  const g = generator(seed);
  const N = 6000;
  const script: Script = [];
  for (let i = 0; i < N; i += 200) {
    const pairs = Array.from({ length: 200 }, () => [String(g.int(0, 1500)), member(g.int(0, N - 1))]).flat();
    script.push(['ZADD', 'z', ...pairs]);
  }
  script.push(['ZCARD', 'z'], fullRange('z'));
  const scoreBound = () => (g.next() < 0.3 ? '(' : '') + String(g.int(0, 1500));
  for (let step = 0; step < 1500; step++) {
    const m = member(g.int(0, N - 1));
    const r = g.next();
    if (r < 0.25) script.push(['ZADD', 'z', String(g.int(-10, 1510)), m]);
    else if (r < 0.3) script.push(['ZINCRBY', 'z', String(g.int(-300, 300)), m]);
    else if (r < 0.4) script.push(['ZREM', 'z', m, member(g.int(0, N - 1))]);
    else if (r < 0.5) script.push([g.pick(['ZRANK', 'ZREVRANK']), 'z', m]);
    else if (r < 0.58) {
      const start = g.int(-6000, 6000);
      script.push([g.pick(['ZRANGE', 'ZREVRANGE']), 'z', String(start), String(start + g.int(0, 40)), 'WITHSCORES']);
    } else if (r < 0.66) {
      const [lo, hi] = [scoreBound(), scoreBound()];
      const limit = ['LIMIT', String(g.int(0, 200)), String(g.int(-1, 30))];
      script.push(g.next() < 0.5 ? ['ZRANGEBYSCORE', 'z', lo, hi, 'WITHSCORES', ...limit] : ['ZREVRANGEBYSCORE', 'z', hi, lo, ...limit]);
    } else if (r < 0.74) script.push(['ZCOUNT', 'z', scoreBound(), scoreBound()]);
    else if (r < 0.8) script.push(['ZSCORE', 'z', m], ['ZCARD', 'z']);
    else if (r < 0.85) {
      const start = g.int(-3000, 3000);
      script.push(['ZREMRANGEBYRANK', 'z', String(start), String(start + g.int(0, 30))]);
    } else if (r < 0.9) {
      const lo = g.int(0, 1500);
      script.push(['ZREMRANGEBYSCORE', 'z', String(lo), `(${lo + g.int(0, 3)}`]);
    } else if (r < 0.95) script.push([g.pick(['ZPOPMIN', 'ZPOPMAX']), 'z', String(g.int(1, 20))]);
    else script.push(['ZRANGE', 'z', String(g.int(0, 100)), '(1e9', 'BYSCORE', 'LIMIT', String(g.int(0, 5000)), '10']);
  }
  script.push(['ZCARD', 'z'], fullRange('z'));
  // Drain most of it in random order: nodes merge, the tree loses levels, the last leaf shrinks.
  const order = Array.from({ length: N }, (_, i) => i).sort(() => g.next() - 0.5);
  for (let i = 0; i < N - 20; i += 150) {
    script.push(['ZREM', 'z', ...order.slice(i, i + 150).map(member)]);
    script.push(['ZRANK', 'z', member(order[N - 1]!)], ['ZRANGE', 'z', '-3', '-1', 'WITHSCORES'], ['ZCOUNT', 'z', '-inf', '+inf']);
  }
  script.push(fullRange('z'), ['ZREM', 'z', ...order.slice(N - 20).map(member)], ['EXISTS', 'z'], ['ZADD', 'z', '1', 'again'], fullRange('z'));
  return script;
}

// Time stamps as scores: ascending inserts append to the last leaf, descending ones to the first.
function monotonic(): Script {
  const script: Script = [];
  for (let i = 0; i < 5000; i += 250) {
    script.push(['ZADD', 'up', ...Array.from({ length: 250 }, (_, j) => [String(i + j), member(i + j)]).flat()]);
    script.push(['ZADD', 'down', ...Array.from({ length: 250 }, (_, j) => [String(-(i + j)), member(i + j)]).flat()]);
  }
  for (const key of ['up', 'down']) {
    for (const rank of [0, 63, 64, 65, 2047, 2048, 4999]) script.push(['ZRANGE', key, String(rank), String(rank + 2), 'WITHSCORES']);
    script.push(['ZRANK', key, member(4321)], ['ZCOUNT', key, '-1000', '(1000'], ['ZREMRANGEBYRANK', key, '100', '3900']);
    script.push(['ZCARD', key], fullRange(key), ['ZRANK', key, member(4321)]);
  }
  return script;
}

// Equal scores: lex ranges are bisections of the order by name.
function lexRanges(seed: number): Script {
  const g = generator(seed);
  const letters = 'abcdefghij';
  const word = () => Array.from({ length: g.int(1, 5) }, () => g.pick([...letters])).join('');
  const script: Script = [];
  for (let i = 0; i < 20; i++) script.push(['ZADD', 'lex', ...Array.from({ length: 200 }, () => ['0', word()]).flat()]);
  const bound = () => (g.next() < 0.1 ? g.pick(['-', '+']) : g.pick(['[', '(']) + word());
  for (let step = 0; step < 400; step++) {
    const [lo, hi] = [bound(), bound()];
    const r = g.next();
    if (r < 0.4) script.push(['ZRANGEBYLEX', 'lex', lo, hi, 'LIMIT', String(g.int(0, 50)), String(g.int(-1, 20))]);
    else if (r < 0.6) script.push(['ZREVRANGEBYLEX', 'lex', hi, lo, 'LIMIT', '0', '15']);
    else if (r < 0.8) script.push(['ZLEXCOUNT', 'lex', lo, hi]);
    else if (r < 0.9) script.push(['ZRANK', 'lex', word()]);
    else script.push(['ZREMRANGEBYLEX', 'lex', lo, lo.replace(/^[[(]/, '[') + 'a']);
  }
  script.push(['ZCARD', 'lex'], fullRange('lex'));
  return script;
}

compatSuite(
  'big zsets',
  {
    'random writes, ranks and ranges over 6000 members': randomWrites(7),
    'ascending and descending scores': monotonic(),
    'lex ranges over equal scores': lexRanges(11),
  },
  // The order lives in the native core; the server modes would only repeat the transport.
  { modes: ['keyspace'] },
);
