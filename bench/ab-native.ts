// A/B of two builds of the native core in one process, for a change to the engine: pipelined
// execResp batches of 16 requests, as the server feeds a socket read, alternating between the
// builds round by round so that the machine's drift falls on both.
//   npx tsx bench/ab-native.ts A.node B.node [set|get|incr|sadd|hset|zadd|lpush] [rounds]
// Copy build/Release/redis_active_active.node aside before the change for A. The requests
// follow redis-benchmark's -r 100000 (random keys or members of 12 digits); each build's
// keyspace is warmed with the same batches first. Prints each build's median ns per request.
import * as path from 'node:path';

import { median } from './env';

const [, , fileA, fileB, test = 'sadd', roundsArg = '8'] = process.argv;
if (!fileA || !fileB) throw new Error('usage: ab-native.ts A.node B.node [test] [rounds]');

const RANGE = 100_000, BATCH = 16, OPS = 1_600_000;
function request(): string[] {
  const r = String(Math.floor(Math.random() * RANGE)).padStart(12, '0');
  switch (test) {
    case 'set': return ['SET', `key:${r}`, 'xxx'];
    case 'get': return ['GET', `key:${r}`];
    case 'incr': return ['INCR', `counter:${r}`];
    case 'sadd': return ['SADD', 'myset', `element:${r}`];
    case 'hset': return ['HSET', 'myhash', `element:${r}`, 'xxx'];
    case 'zadd': return ['ZADD', 'myzset', String(Math.floor(Math.random() * RANGE)), `element:${r}`];
    case 'lpush': return ['LPUSH', 'mylist', 'xxx'];
    default: throw new Error(`unknown test ${test}`);
  }
}
const resp = (args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
const batches = Array.from({ length: 4096 }, () => Buffer.from(Array.from({ length: BATCH }, () => resp(request())).join('')));

interface NativeKeyspace {
  execResp(buf: Buffer, resp3: boolean, queueAll: boolean, unauthenticated: boolean, replyArea: Buffer): unknown;
  drainEffects(): Buffer;
}
const area = Buffer.alloc(1 << 20);
const keyspaces: NativeKeyspace[] = [fileA, fileB].map((file) => {
  const binding = require(path.resolve(file)) as { NativeKeyspace: new (id: number, manualClock: boolean, time: number) => NativeKeyspace };
  return new binding.NativeKeyspace(1, false, 0);
});
function run(ks: NativeKeyspace, batchCount: number): void {
  for (let i = 0; i < batchCount; i++) {
    ks.execResp(batches[i % batches.length]!, false, false, false, area);
    if (i % 64 === 0) ks.drainEffects(); // effects recorded and drained, as a server with a replica does
  }
}
for (const ks of keyspaces) run(ks, 20_000);
const nsPerOp: number[][] = [[], []];
for (let round = 0; round < Number(roundsArg); round++) {
  for (const k of round % 2 ? [1, 0] : [0, 1]) {
    const t0 = process.hrtime.bigint();
    run(keyspaces[k]!, OPS / BATCH);
    nsPerOp[k]!.push(Number(process.hrtime.bigint() - t0) / OPS);
  }
}
const [a, b] = nsPerOp.map((x) => median(x));
console.log(`${test}: A ${a!.toFixed(1)} ns/request, B ${b!.toFixed(1)} ns/request, B/A ${(b! / a!).toFixed(3)}`);
