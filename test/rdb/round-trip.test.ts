// Keyspace -> RDB -> keyspace. The plain form (what redis-server and `redis-cli --rdb` get)
// must hold exactly the visible data: imported back it gives the same digest, and a real
// redis-server loads it and serves the same values. The CRDT form (full syncs) must carry
// the whole state: joined into a fresh keyspace it gives the same digest and keeps
// converging with the instances it came from.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';
import { dumpRdbFile, importRdbFile, loadRdbSnapshot, type DumpEntry } from '../../lib/rdb';
import { numRuns } from '../support/cluster';
import { hasRedisServer, startRedisServer } from '../support/redis-server';
import { RespClient } from '../support/resp';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-rdb-rt-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function writeTemp(buf: Buffer): string {
  const file = path.join(dir, `f${fileNo++}.rdb`);
  fs.writeFileSync(file, buf);
  return file;
}

const hasCheckRdb = (() => {
  try {
    execFileSync('redis-check-rdb', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const FAR = 4_102_444_800_000; // 2100-01-01
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// Every type in each encoding the writer picks: listpacks and intsets under Redis's
// thresholds, hashtables, skiplists and several quicklist nodes above them.
function populate(ks: Keyspace): void {
  const cmds: (string | Buffer)[][] = [
    ['SET', 'str', 'hello'],
    ['SET', 'int8', '7'], ['SET', 'int16', '-3000'], ['SET', 'int32', '2000000000'], ['SET', 'int64', '9223372036854775807'],
    ['SET', 'not-canonical', '007'], ['SET', 'empty', ''],
    ['SET', 'compressible', 'abc'.repeat(40_000)],
    ['SET', Buffer.from([0xff, 0xfe, 0x00, 0x80]), Buffer.from([0xc3, 0x28, 0x00])],
    ['SET', 'ttl', 'v', 'PXAT', String(FAR)],
    ['INCRBY', 'counter', '41'], ['INCR', 'counter'],
    ['INCRBYFLOAT', 'float', '1.5'],
    ['HSET', 'h-small', 'a', '1', 'b', 'two'],
    ['HSET', 'h-long-value', 'f', 'x'.repeat(100)],
    ['HSET', 'h-many', ...range(200).flatMap((i) => [`f${i}`, `v${i}`])],
    ['HINCRBY', 'h-small', 'n', '5'],
    ['SADD', 's-ints', '1', '-2', '70000', '5000000000'],
    ['SADD', 's-many-ints', ...range(600).map(String)],
    ['SADD', 's-strings', 'a', 'b', 'c'],
    ['ZADD', 'z-small', '1', 'a', '2.5', 'b', '-inf', 'lo', '+inf', 'hi'],
    ['ZADD', 'z-many', ...range(200).flatMap((i) => [String(i / 3), `m${i}`])],
    ['ZADD', 'z-long-member', '1', 'y'.repeat(80)],
    ['ZINCRBY', 'z-small', '3', 'a'],
    ['RPUSH', 'l-small', 'a', '1', 'b'],
    ['RPUSH', 'l-many', ...range(5000).map((i) => `element-${i}`)],
    ['LPUSH', 'l-many', 'head'],
    ['RPUSH', 'l-big-item', 'z'.repeat(20_000), 'tail'],
    ['PEXPIREAT', 'h-many', String(FAR)], ['PEXPIREAT', 'l-many', String(FAR + 1)],
    ['SET', 'deleted', 'x'], ['DEL', 'deleted'],
  ];
  for (const r of ks.execMany(cmds)) if (r instanceof Error) throw r;
}

async function dump(file: string): Promise<DumpEntry[]> {
  const out: DumpEntry[] = [];
  for await (const e of dumpRdbFile(file)) out.push(e);
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

describe('plain form', () => {
  const ks = new Keyspace({ instanceId: 1 });
  populate(ks);
  const rdb = ks.toRdb({ aux: { 'repl-id': 'a'.repeat(40), 'repl-offset': '123', 'repl-stream-db': '0' } });
  const file = writeTemp(rdb);

  it.skipIf(!hasCheckRdb)('passes redis-check-rdb', () => {
    const out = execFileSync('redis-check-rdb', [file]).toString();
    expect(out).toMatch(/RDB looks OK/);
  });

  it('imports back into a keyspace with the same digest', async () => {
    const copy = new Keyspace({ instanceId: 2 });
    const report = await importRdbFile(copy, file);
    expect(report).toMatchObject({ complete: true, keys: ks.stats().keys, errors: 0, expiredKeys: 0 });
    expect(copy.digest()).toBe(ks.digest());
  });

  it('holds the aux fields a replica and a tool look for', async () => {
    const { inspectRdbFile } = await import('../../lib/rdb');
    const info = await inspectRdbFile(file);
    expect(info.version).toBe(10);
    expect(info.aux).toMatchObject({ 'redis-ver': '7.0.15', 'repl-id': 'a'.repeat(40), 'repl-offset': '123', 'repl-stream-db': '0', 'raa-instance-id': '1' });
    expect(Number(info.aux['ctime'])).toBeGreaterThan(1_700_000_000);
    expect(Number(info.aux['used-mem'])).toBeGreaterThan(0);
    expect(info.databases['0'].keys).toBe(ks.stats().keys);
    // the writer chose the encodings redis-server would have
    expect(info.databases['0'].types).toMatchObject({
      hash: { listpack: 1, hashtable: 2 },
      set: { intset: 1, hashtable: 2 },
      zset: { listpack: 1, skiplist: 2 },
      list: { quicklist: 3 },
    });
  });

  it.skipIf(!hasRedisServer)('loads into redis-server 7.0 with the same values', async () => {
    const rdir = fs.mkdtempSync(path.join(dir, 'redis-'));
    fs.copyFileSync(file, path.join(rdir, 'dump.rdb'));
    const server = await startRedisServer({ args: ['--dir', rdir, '--dbfilename', 'dump.rdb'] });
    const client = await RespClient.connect(server.port);
    try {
      const entries = await dump(file);
      expect(Number(await client.call(['DBSIZE']))).toBe(entries.length);
      for (const e of entries) {
        const key = e.keyEncoding ? Buffer.from(e.key, 'base64') : e.key;
        const ours = (argv: (string | Buffer)[]) => norm(ks.exec(argv));
        const theirs = async (argv: (string | Buffer)[]) => norm(await client.call(argv));
        const reads: Record<string, (string | Buffer)[]> = {
          string: ['GET', key], list: ['LRANGE', key, '0', '-1'], hash: ['HGETALL', key],
          set: ['SMEMBERS', key], zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
        };
        for (const argv of [reads[e.type], ['TYPE', key], ['PEXPIRETIME', key]]) {
          let [a, b] = [ours(argv), await theirs(argv)];
          if (argv === reads[e.type] && (e.type === 'set' || e.type === 'hash')) [a, b] = [sortedPairs(a, e.type), sortedPairs(b, e.type)];
          expect(b, `${String(argv[0])} ${e.key}`).toEqual(a);
        }
      }
    } finally {
      client.close();
      await server.stop();
    }
  });
});

function norm(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(norm);
  return v;
}

function sortedPairs(v: unknown, type: string): unknown {
  const a = v as string[];
  if (type === 'set') return [...a].sort();
  const pairs: string[] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push(`${a[i]}\u0000${a[i + 1]}`);
  return pairs.sort();
}

describe('CRDT form', () => {
  it('carries the full state: same digest, and it keeps converging with its source', () => {
    const a = new Keyspace({ instanceId: 1 });
    const b = new Keyspace({ instanceId: 2 });
    populate(a);
    b.applyEffects(a.drainEffects());
    // concurrent writes on both sides: several entries per cell, counters of two instances
    a.execMany([['SET', 'str', 'from-a'], ['INCRBY', 'counter', '10'], ['HSET', 'h-small', 'a', 'A'], ['RPUSH', 'l-small', 'a1']]);
    b.execMany([['SET', 'str', 'from-b'], ['INCRBY', 'counter', '5'], ['HDEL', 'h-small', 'b'], ['RPUSH', 'l-small', 'b1']]);
    const ea = a.drainEffects();
    b.applyEffects(ea);
    const rdb = b.toRdb({ form: 'crdt' });
    const c = new Keyspace({ instanceId: 3 });
    const report = loadRdbSnapshot(c, rdb);
    expect(report.complete).toBe(true);
    expect(c.digest()).toBe(b.digest());
    // what the snapshot knew, it does not need again; what it missed still merges in
    a.applyEffects(b.drainEffects());
    c.applyEffects(ea);
    expect(c.digest()).toBe(a.digest());
    expect(a.digest()).toBe(b.digest());
  });

  it('a snapshot removes what the sender had seen removed', () => {
    const a = new Keyspace({ instanceId: 1 });
    a.execMany([['SET', 'k1', 'v'], ['SET', 'k2', 'v']]);
    const b = new Keyspace({ instanceId: 2 });
    b.applyEffects(a.drainEffects());
    a.exec(['DEL', 'k1']);
    loadRdbSnapshot(b, a.toRdb({ form: 'crdt' }));
    expect(b.digest()).toBe(a.digest());
    expect(b.exec(['EXISTS', 'k1'])).toBe(0);
  });

  it('refuses a plain file, and a plain import refuses CRDT values with a reason', async () => {
    const a = new Keyspace({ instanceId: 1 });
    a.exec(['SET', 'k', 'v']);
    expect(() => loadRdbSnapshot(new Keyspace({ instanceId: 2 }), a.toRdb())).toThrow(/offset \d+: not a CRDT snapshot/);
    const report = await importRdbFile(new Keyspace({ instanceId: 2 }), writeTemp(a.toRdb({ form: 'crdt' })));
    expect(report.keys).toBe(0);
    expect(Object.keys(report.skipped ?? {})[0]).toMatch(/CRDT state/);
  });

  it('a corrupt byte is an error naming its offset, and nothing of the file is joined', () => {
    const a = new Keyspace({ instanceId: 1 });
    populate(a);
    const rdb = a.toRdb({ form: 'crdt' });
    for (const at of [20, Math.floor(rdb.length / 2), rdb.length - 3]) {
      const bad = Buffer.from(rdb);
      bad[at] ^= 0x55;
      const target = new Keyspace({ instanceId: 2 });
      target.exec(['SET', 'mine', '1']);
      const before = target.digest();
      expect(() => loadRdbSnapshot(target, bad)).toThrow(/RDB error at offset \d+/);
      expect(target.digest()).toBe(before);
    }
  });
});

// Random histories on two instances with partial delivery: every round trip keeps the data.
describe('round trips of random histories', () => {
  const key = fc.constantFrom('k1', 'k2', 'k3', 'k4');
  const word = fc.constantFrom('a', 'b', '1', '-7', '2.5', '', 'x'.repeat(70));
  const num = fc.integer({ min: -5, max: 5 }).map(String);
  const cmd = fc.oneof(
    fc.tuple(fc.constant('SET'), key, word),
    fc.tuple(fc.constant('INCRBY'), key, num),
    fc.tuple(fc.constant('DEL'), key),
    fc.tuple(fc.constant('HSET'), key, word, word),
    fc.tuple(fc.constant('HINCRBY'), key, word, num),
    fc.tuple(fc.constant('SADD'), key, word, word),
    fc.tuple(fc.constant('SREM'), key, word),
    fc.tuple(fc.constant('ZADD'), key, num, word),
    fc.tuple(fc.constant('ZINCRBY'), key, num, word),
    fc.tuple(fc.constant('RPUSH'), key, word, word),
    fc.tuple(fc.constant('LPOP'), key),
    fc.tuple(fc.constant('PEXPIREAT'), key, fc.constant(String(FAR))),
  ).map((t) => [...t] as string[]);
  const history = fc.array(fc.tuple(fc.boolean(), fc.array(cmd, { minLength: 1, maxLength: 5 }), fc.boolean()), { minLength: 1, maxLength: 25 });

  it('plain and CRDT forms', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (steps) => {
        const nodes = [new Keyspace({ instanceId: 1 }), new Keyspace({ instanceId: 2 })];
        for (const [onB, cmds, deliver] of steps) {
          const from = nodes[onB ? 1 : 0];
          from.execMany(cmds);
          if (deliver) nodes[onB ? 0 : 1].applyEffects(from.drainEffects());
        }
        for (const ks of nodes) {
          const viaCrdt = new Keyspace({ instanceId: 5 });
          loadRdbSnapshot(viaCrdt, ks.toRdb({ form: 'crdt' }));
          expect(viaCrdt.digest()).toBe(ks.digest());
          const viaPlain = new Keyspace({ instanceId: 6 });
          const report = await importRdbFile(viaPlain, writeTemp(ks.toRdb({ compress: fileNo % 2 === 0 })));
          expect(report.errors).toBe(0);
          expect(viaPlain.digest()).toBe(ks.digest());
        }
      }),
      { numRuns: numRuns(60) },
    );
  });
});
