// RDB files written by a real redis-server, and what redis itself says is in them.
//
// generateRdb(scenario) starts a throwaway redis-server with the scenario's config,
// runs its commands, SAVEs, copies dump.rdb out, then asks redis key by key what it
// holds (TYPE, GET, LRANGE, HGETALL, SMEMBERS, ZRANGE, XRANGE + XINFO STREAM FULL,
// PEXPIRETIME). The expected entries come from those replies, never from the commands
// sent, so a scenario cannot encode a wrong belief about redis into the truth.
//
// The scenarios (rdbScenarios) pick thresholds so that, between them, the files hold
// every type and encoding redis 7.0 writes (RDB v10): strings (int-encoded, LZF, raw),
// quicklist 2 with packed, plain and LZF-compressed nodes, listpack hashes and zsets,
// intsets of 16/32/64-bit values, hashtable sets and hashes, skiplist zsets, stream
// listpacks v2 with groups, FUNCTION2, expiries, IDLE and FREQ, several dbs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mulberry32 } from './random';
import { startRedisServer } from './redis-server';
import { RespClient, RespError, parseReply, type Argv, type RespValue } from './resp';
import type { DumpEntry, StreamValue, ZsetScore } from '../../lib/rdb';

// Expected entries have the reader's dump shape; their values come from redis itself.
export type { DumpEntry, StreamValue, ZsetScore } from '../../lib/rdb';

export interface RdbScenario {
  name: string;
  /** redis.conf directives, passed on the command line. */
  config?: Record<string, string | number>;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements at least this long get a plain node (7.0's default is 1 GB). */
  plainThreshold?: number;
  /** Run in order on one connection (so SELECT carries over). Any error reply fails the generation. */
  commands: Argv[];
  /** `type:encoding` (OBJECT ENCODING) the data must produce: guards against a scenario silently not forcing what it is for. */
  encodings: string[];
  /** `type:encoding` that must not appear. */
  absent?: string[];
}

export interface GeneratedRdb {
  file: string;
  /** Sorted by db, then key bytes. */
  expected: DumpEntry[];
  /** INFO keyspace: keys and expires per non-empty db. */
  dbs: Record<number, { keys: number; expires: number }>;
  /** INFO server's redis_version (the file's `redis-ver` aux field). */
  redisVersion: string;
  /** FUNCTION LIST: libraries loaded. */
  functions: number;
  /** How many keys have each `type:encoding`. */
  encodings: Record<string, number>;
  /** OBJECT ENCODING of each expected entry, same order. */
  objectEncodings: string[];
  cleanup(): Promise<void>;
}

// ---- generation ------------------------------------------------------------

export async function generateRdb(scenario: RdbScenario): Promise<GeneratedRdb> {
  const args = Object.entries(scenario.config ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]);
  // DEBUG is off by default in 7.0; it is needed only for the plain-node threshold.
  const server = await startRedisServer({ args: ['--enable-debug-command', 'yes', ...args] });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-aa-rdb-'));
  try {
    const client = await RespClient.connect(server.port);
    try {
      if (scenario.plainThreshold) await must(client, ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(scenario.plainThreshold)]);
      for (let i = 0; i < scenario.commands.length; i += 500) {
        const batch = scenario.commands.slice(i, i + 500);
        const replies = await client.send(batch);
        replies.forEach((raw, j) => {
          const v = parseReply(raw);
          if (v instanceof RespError) throw new Error(`${scenario.name}: ${show(batch[j]!)} -> ${v.message}`);
        });
      }
      await must(client, ['SAVE']);
      const file = path.join(out, `${scenario.name}.rdb`);
      fs.copyFileSync(path.join(server.dir, 'dump.rdb'), file);
      const report = await collect(client);
      return { file, ...report, cleanup: async () => fs.rmSync(out, { recursive: true, force: true }) };
    } finally {
      await client.close();
    }
  } catch (err) {
    fs.rmSync(out, { recursive: true, force: true });
    throw err;
  } finally {
    await server.stop();
  }
}

const show = (argv: Argv) => argv.map((a) => String(a).slice(0, 40)).join(' ');

async function must(client: RespClient, argv: Argv): Promise<RespValue> {
  const v = await client.call(argv);
  if (v instanceof RespError) throw new Error(`${show(argv)} -> ${v.message}`);
  return v;
}

// ---- what redis says is in it -----------------------------------------------

const isUtf8 = (b: Buffer) => Buffer.from(b.toString('utf8'), 'utf8').equals(b);
const str = (v: RespValue) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const num = (v: RespValue) => Number(Buffer.isBuffer(v) ? v.toString() : v);

/** A flat RESP2 [k, v, k, v, ...] reply (XINFO) as a lookup. */
function pairs(v: RespValue): Map<string, RespValue> {
  const list = v as RespValue[];
  const m = new Map<string, RespValue>();
  for (let i = 0; i < list.length; i += 2) m.set(str(list[i]!), list[i + 1]!);
  return m;
}

async function collect(client: RespClient): Promise<Omit<GeneratedRdb, 'file' | 'cleanup'>> {
  const dbs: GeneratedRdb['dbs'] = {};
  for (const m of str(await must(client, ['INFO', 'keyspace'])).matchAll(/^db(\d+):keys=(\d+),expires=(\d+)/gm)) {
    dbs[Number(m[1])] = { keys: Number(m[2]), expires: Number(m[3]) };
  }
  const redisVersion = /redis_version:(\S+)/.exec(str(await must(client, ['INFO', 'server'])))![1]!;
  const functions = ((await must(client, ['FUNCTION', 'LIST'])) as RespValue[]).length;
  const expected: DumpEntry[] = [];
  const encodings: Record<string, number> = {};
  const objectEncodings: string[] = [];
  for (const db of Object.keys(dbs).map(Number)) {
    await must(client, ['SELECT', String(db)]);
    const keys = ((await must(client, ['KEYS', '*'])) as Buffer[]).sort(Buffer.compare);
    const meta = (await client.send(keys.flatMap((k) => [['TYPE', k], ['PEXPIRETIME', k], ['OBJECT', 'ENCODING', k]]))).map(parseReply);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const type = str(meta[3 * i]!) as DumpEntry['type'];
      const expire = num(meta[3 * i + 1]!);
      const enc = `${type}:${str(meta[3 * i + 2]!)}`;
      encodings[enc] = (encodings[enc] ?? 0) + 1;
      objectEncodings.push(enc);
      expected.push({
        db,
        ...(isUtf8(key) ? { key: key.toString() } : { key: key.toString('base64'), keyEncoding: 'base64' as const }),
        type,
        ...(await readValue(client, key, type)),
        expireAt: expire >= 0 ? expire : null,
      });
    }
  }
  return { expected, dbs, redisVersion, functions, encodings, objectEncodings };
}

/** The value as the dump format writes it: `encoding` first (so keys stay in dump order), then `value`. */
async function readValue(client: RespClient, key: Buffer, type: string): Promise<Pick<DumpEntry, 'encoding' | 'value'>> {
  if (type === 'stream') return { value: await readStream(client, key) };
  const argv: Argv =
    type === 'string' ? ['GET', key]
    : type === 'list' ? ['LRANGE', key, '0', '-1']
    : type === 'set' ? ['SMEMBERS', key]
    : type === 'zset' ? ['ZRANGE', key, '0', '-1', 'WITHSCORES']
    : type === 'hash' ? ['HGETALL', key]
    : [];
  if (!argv.length) throw new Error(`cannot read a ${type} key from redis`);
  const reply = await must(client, argv);
  const all = Buffer.isBuffer(reply) ? [reply] : (reply as Buffer[]);
  // One non-UTF-8 string makes the whole value base64 (scores are not strings).
  const strings = type === 'zset' ? all.filter((_, i) => i % 2 === 0) : all;
  const b64 = !strings.every(isUtf8);
  const s = (b: Buffer) => (b64 ? b.toString('base64') : b.toString('utf8'));
  let value: DumpEntry['value'];
  if (type === 'string') value = s(reply as Buffer);
  else if (type === 'hash') {
    const h: Record<string, string> = {};
    for (let i = 0; i < all.length; i += 2) h[s(all[i]!)] = s(all[i + 1]!);
    value = h;
  } else if (type === 'zset') {
    const z: [string, ZsetScore][] = [];
    for (let i = 0; i < all.length; i += 2) {
      const t = all[i + 1]!.toString();
      z.push([s(all[i]!), t === 'inf' || t === '-inf' ? t : Number(t)]);
    }
    value = z;
  } else value = all.map(s);
  return b64 ? { encoding: 'base64', value } : { value };
}

async function readStream(client: RespClient, key: Buffer): Promise<StreamValue> {
  const range = (await must(client, ['XRANGE', key, '-', '+'])) as [Buffer, Buffer[]][];
  const info = pairs(await must(client, ['XINFO', 'STREAM', key, 'FULL', 'COUNT', '0']));
  const texts = (bs: Buffer[]) => {
    // The dump format's base64 rule is not settled for streams: keep them UTF-8.
    if (!bs.every(isUtf8)) throw new Error(`stream ${key.toString('base64')}: non-UTF-8 content is not supported here`);
    return bs.map((b) => b.toString());
  };
  const groups = (info.get('groups') as RespValue[]).map((g) => {
    const gm = pairs(g);
    const entriesRead = gm.get('entries-read');
    return {
      name: str(gm.get('name')!),
      lastId: str(gm.get('last-delivered-id')!),
      ...(entriesRead === null ? {} : { entriesRead: num(entriesRead!) }),
      pending: (gm.get('pending') as RespValue[][]).map(
        ([id, consumer, time, count]) => [str(id!), str(consumer!), num(time!), num(count!)] as [string, string, number, number],
      ),
      consumers: (gm.get('consumers') as RespValue[]).map((c) => {
        const cm = pairs(c);
        // 7.0 has no active-time: leave it out.
        return { name: str(cm.get('name')!), seenTime: num(cm.get('seen-time')!), pending: (cm.get('pending') as RespValue[][]).map((p) => str(p[0]!)) };
      }),
    };
  });
  return {
    length: num(info.get('length')!),
    lastId: str(info.get('last-generated-id')!),
    firstId: str(info.get('recorded-first-entry-id')!),
    maxDeletedId: str(info.get('max-deleted-entry-id')!),
    entriesAdded: num(info.get('entries-added')!),
    entries: range.map(([id, fields]) => [id.toString(), texts(fields)]),
    groups,
  };
}

// ---- data -------------------------------------------------------------------

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Deterministic noise (mulberry32): incompressible, so LZF gives up and the bytes are stored raw. */
function noise(seed: number, n: number): Buffer {
  const next = mulberry32(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/** Each side of every integer encoding: RDB int8/16/32, listpack uint7/int13/16/24/32/64, intset widths. */
const INTS = ['0', '1', '127', '128', '-1', '-128', '-129', '4095', '-4096', '4096', '32767', '-32768', '32768',
  '8388607', '-8388608', '8388608', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808'];
/** Look like integers but must stay strings: overflow, leading zero or plus, space, decimals, -0. */
const NEAR_INTS = ['9223372036854775808', '-9223372036854775809', '007', '+5', ' 5', '1.5', '-0', '0x10', '1e3'];

function strings(p: string): Argv[] {
  return [
    ...INTS.map((v, i): Argv => ['SET', `${p}int:${i}`, v]),
    ...NEAR_INTS.map((v, i): Argv => ['SET', `${p}nearint:${i}`, v]),
    ['SET', `${p}counter`, '10'],
    ['INCRBY', `${p}counter`, '99999'],
    ['SET', `${p}empty`, ''],
    ['SET', `${p}short`, 'hello'],
    ['SET', `${p}embstr44`, 'e'.repeat(44)],
    ['SET', `${p}raw45`, 'r'.repeat(45)],
    ['SET', `${p}lzf21`, 'a'.repeat(21)], // just past LZF's 20-byte floor
    ['SET', `${p}lzf`, 'abcdefgh'.repeat(500)],
    ['SET', `${p}noise`, noise(1, 600).toString('base64')],
    ['SET', `${p}big`, 'The quick brown fox. '.repeat(5000)],
    ['SET', `${p}utf8`, 'héllo wörld ✓ 🚀 ключ'],
    ['SET', `${p}appended`, 'x'],
    ['APPEND', `${p}appended`, 'yz'],
  ];
}

function lists(p: string, n: number): Argv[] {
  const long = `${p}list:long`;
  return [
    // Listpack strings of 6-, 12- and 32-bit lengths next to every integer width.
    ['RPUSH', `${p}list:small`, ...INTS, ...NEAR_INTS, '', 'a', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), 'héllo'],
    ['RPUSH', long, ...range(n).map((i) => (i % 3 ? `item-${i}` : String(i * 7919)))],
    ['LINSERT', long, 'BEFORE', 'item-1', 'inserted'],
    ['LSET', long, '-2', 'replaced'],
    ['LREM', long, '0', 'item-2'],
    ['LPUSH', `${p}list:lpush`, ...range(50).map(String)],
    ['RPUSH', `${p}list:one`, 'only'],
    // Past an 8 KB node (own node) and a 3-byte listpack backlen; plain nodes where the scenario lowers the threshold.
    ['RPUSH', `${p}list:bigelem`, 'a', 'b'.repeat(20000), 'c', noise(2, 3000).toString('base64'), 'd', 'Plain and compressible. '.repeat(300), 'e'],
  ];
}

function hashes(p: string, n: number): Argv[] {
  return [
    ['HSET', `${p}hash:small`, 'name', 'redis', '1', '100', '-2', '-5', 'max', '9223372036854775807', 'empty', '', '', 'emptyfield', 'utf8', 'ключ'],
    ['HSET', `${p}hash:long`, ...range(n).flatMap((i) => [`field:${i}`, i % 2 ? String(i) : `value-${i}`])],
    ['HSET', `${p}hash:bigvalue`, 'a', '1', 'big', 'v'.repeat(5000)], // past the 64-byte value limit
    ['HSET', `${p}hash:deleted`, 'a', '1', 'b', '2', 'c', '3'],
    ['HDEL', `${p}hash:deleted`, 'b'],
  ];
}

function sets(p: string, n: number): Argv[] {
  return [
    ['SADD', `${p}set:int16`, '-5', '0', '5', '1000', '-32768', '32767'],
    ['SADD', `${p}set:int32`, '1', '70000', '-70000', '2147483647', '-2147483648'],
    ['SADD', `${p}set:int64`, '1', '1099511627776', '-9223372036854775808', '9223372036854775807'],
    ['SADD', `${p}set:strings`, 'a', 'b', 'héllo', '', '42'],
    ['SADD', `${p}set:manyints`, ...range(n).map((i) => String(i * 3 - n))],
    ['SADD', `${p}set:many`, ...range(n).map((i) => `m${i}`)],
  ];
}

function zsets(p: string, n: number): Argv[] {
  return [
    ['ZADD', `${p}zset:small`, '1', 'one', '-0', 'negzero', '0.1', 'tenth', 'inf', 'top', '-inf', 'bottom', '1e-300', 'tiny',
      '5e-324', 'denormal', '1.7976931348623157e308', 'max', '123456789012', 'bigint', '-42', 'neg', '2.5', ''],
    ['ZADD', `${p}zset:long`, ...range(n).flatMap((i) => [String(i * 1.5 - 100), `member:${i}`])],
    ['ZADD', `${p}zset:ties`, '1', 'c', '1', 'a', '1', 'b'],
    ['ZADD', `${p}zset:longmember`, '1', 'm'.repeat(100)], // past the 64-byte value limit
  ];
}

const T0 = 1700000000000;
const sid = (i: number) => `${T0 + Math.floor(i / 3)}-${i % 3}`;

/** Differing field sets, deletions and trimming (max-deleted-id), groups with PELs, empty streams. */
function streams(p: string, n: number): Argv[] {
  const s = `${p}stream`;
  const fields = (i: number) =>
    i % 7 === 3 ? ['c', String(i)] : i % 5 === 4 ? ['a', String(i), 'b', `v${i}`, 'extra', 'x'] : ['a', String(i), 'b', `v${i}`];
  return [
    ...range(n).map((i): Argv => ['XADD', s, sid(i), ...fields(i)]),
    ['XDEL', s, sid(10), sid(11), sid(n - 5)],
    ['XTRIM', s, 'MAXLEN', String(n - 8)], // exact: drops whole nodes, flags entries deleted in the first
    ['XGROUP', 'CREATE', s, 'g1', sid(19)],
    // DEBUG SLEEPs (server side) so delivery and seen times differ between consumers and entries.
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '5', 'STREAMS', s, '>'], // 20..24
    ['DEBUG', 'SLEEP', '0.003'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '3', 'STREAMS', s, '>'], // 25..27
    ['DEBUG', 'SLEEP', '0.003'],
    ['XGROUP', 'CREATECONSUMER', s, 'g1', 'carol'], // a consumer with no pending entries
    ['XACK', s, 'g1', sid(20)],
    ['XCLAIM', s, 'g1', 'bob', '0', sid(21)], // delivery count 2
    ['XGROUP', 'CREATE', s, 'g2', '$'],
    ['XGROUP', 'CREATE', s, 'g3', sid(30), 'ENTRIESREAD', '25'],
    ['XGROUP', 'CREATE', s, 'g0', '0'],
    ['XREADGROUP', 'GROUP', 'g0', 'zed', 'COUNT', String(n), 'STREAMS', s, '>'], // reads to the end
    ['XGROUP', 'CREATE', `${s}:empty`, 'g', '$', 'MKSTREAM'],
    ['XADD', `${s}:emptied`, '5-1', 'a', '1'],
    ['XADD', `${s}:emptied`, '5-2', 'a', '2'],
    ['XDEL', `${s}:emptied`, '5-1', '5-2'],
    ['XADD', `${s}:values`, '1-0', 'int', '12345', 'neg', '-7', 'max', '9223372036854775807', 'long', 'l'.repeat(300), 'empty', '', '', 'emptyfield'],
    ['XSETID', `${s}:values`, '9999999999999-5', 'ENTRIESADDED', '1000', 'MAXDELETEDID', '20-0'],
  ];
}

const FUNCTIONS: Argv[] = [
  ['FUNCTION', 'LOAD', "#!lua name=lib_a\nredis.register_function('fa', function(keys, args) return 1 end)"],
  ['FUNCTION', 'LOAD', "#!lua name=lib_b\nredis.register_function{function_name='fb', callback=function(keys, args) return args[1] end, flags={'no-writes'}}"],
];

function everything(p: string, n: number): Argv[] {
  return [...strings(p), ...lists(p, n), ...hashes(p, n), ...sets(p, n), ...zsets(p, n), ...streams(p, 40)];
}

/** A far-future PEXPIREAT (ms) that differs per key, so a reader mixing them up shows. */
const FAR = 4102444800123; // 2100-01-01

function manyDbs(): Argv[] {
  return [0, 1, 2, 3, 4, 5, 7].flatMap((db): Argv[] => {
    const p = `d${db}:`;
    const keys = [...range(3 + db).map((i) => `${p}s${i}`), `${p}list`, `${p}hash`, `${p}set`, `${p}zset`, `${p}stream`];
    return [
      ['SELECT', String(db)],
      ...range(3 + db).map((i): Argv => ['SET', `${p}s${i}`, i % 2 ? String(i * db) : `value ${db}/${i}`]),
      ['RPUSH', `${p}list`, 'a', String(db)],
      ['HSET', `${p}hash`, 'f', String(db)],
      ['SADD', `${p}set`, String(db), String(db + 100)],
      ['ZADD', `${p}zset`, String(db), 'm'],
      ['XADD', `${p}stream`, `${db + 1}-0`, 'f', 'v'],
      ...keys.filter((_, i) => i % 2 === 0).map((k, i): Argv => ['PEXPIREAT', k, String(FAR + db * 86_400_000 + i * 1001)]),
      ['SET', `${p}relative`, 'r', 'EX', '1000000'],
      ['SET', `${p}persisted`, 'p', 'PX', '100000'],
      ['PERSIST', `${p}persisted`],
    ];
  });
}

/** Keys and values that are not UTF-8 (base64 in the dump), next to ones that are (NUL, multibyte). */
function binary(): Argv[] {
  const bad = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
  const badKey = (s: string) => Buffer.concat([Buffer.from([0xc3, 0x28]), Buffer.from(s)]);
  return [
    ['SET', bad, 'binary key, text value'],
    ['SET', 'bin:value', bad],
    ['SET', badKey('both'), noise(3, 300)],
    ['SET', 'bin:surrogate', Buffer.from([0xed, 0xa0, 0x80])], // CESU-8: not UTF-8
    ['SET', 'bin:overlong', Buffer.from([0xc0, 0xaf])],
    ['SET', 'bin:random', noise(4, 2000)],
    ['SET', 'nul\x00key', 'nul\x00value'],
    ['SET', 'ключ 🚀', 'значение'],
    ['SET', 'bin:empty', ''],
    ['SET', '', 'empty key'],
    ['RPUSH', 'bin:list', 'text', bad, ''],
    ['RPUSH', badKey('list'), 'all', 'text'],
    ['HSET', 'bin:hash:field', bad, 'v', 'plain', 'text'],
    ['HSET', 'bin:hash:value', 'f', bad],
    ['HSET', 'bin:hash:big', ...range(600).flatMap((i) => [`f${i}`, i === 7 ? bad : `v${i}`])],
    ['SADD', 'bin:set', 'a', bad, ''],
    ['SADD', 'bin:set:big', ...range(600).map((i) => (i === 9 ? bad : `m${i}`))],
    ['ZADD', 'bin:zset', '1', bad, '2', 'text'],
    ['ZADD', 'bin:zset:big', ...range(200).flatMap((i) => [String(i), i === 5 ? bad : `m${i}`])],
    ['XADD', 'bin:stream:utf8', '1-1', 'ключ', 'значение'],
  ];
}

const ALL_TYPES = ['string:int', 'string:embstr', 'string:raw', 'list:quicklist', 'stream:stream'];

export const rdbScenarios: RdbScenario[] = [
  {
    name: 'defaults',
    commands: everything('', 1000),
    encodings: [...ALL_TYPES, 'hash:listpack', 'hash:hashtable', 'set:intset', 'set:hashtable', 'zset:listpack', 'zset:skiplist'],
  },
  {
    // Everything that can be a listpack or intset is; counts past a listpack's u16 header (65535: "count them").
    name: 'listpack-large',
    config: {
      'hash-max-listpack-entries': 100000, 'hash-max-listpack-value': 100000, 'set-max-intset-entries': 100000,
      'zset-max-listpack-entries': 100000, 'zset-max-listpack-value': 100000, 'list-max-listpack-size': -5,
      'stream-node-max-entries': 0, 'stream-node-max-bytes': 0,
    },
    commands: [
      // Growing a listpack costs a scan per insert (minutes at this size): build hashtable and
      // skiplist, then let DEBUG RELOAD turn them into listpacks in one pass each.
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '16', 'zset-max-listpack-entries', '16'],
      ['HSET', 'hash:huge', ...range(33000).flatMap((i) => [`f${i}`, String(i)])],
      ['ZADD', 'zset:huge', ...range(33000).flatMap((i) => [String(i % 1000), `m${i}`])],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '100000', 'zset-max-listpack-entries', '100000'],
      ['DEBUG', 'RELOAD'],
      ...everything('', 3000),
      ...range(12000).map((i): Argv => ['XADD', 'stream:huge', `${i + 1}-0`, 'n', String(i), 'v', 'x']),
    ],
    encodings: [...ALL_TYPES, 'hash:listpack', 'set:intset', 'zset:listpack'],
    absent: ['hash:hashtable', 'zset:skiplist'],
  },
  {
    // Hashtables and skiplists from the second element; 4-entry list nodes, all but the ends LZF-compressed,
    // plain nodes for elements of 1000 bytes and more; then 4 KB nodes with depth 2 (quicklists keep the config they were made with).
    name: 'tiny-compressed',
    config: {
      'hash-max-listpack-entries': 2, 'hash-max-listpack-value': 8, 'set-max-intset-entries': 2,
      'zset-max-listpack-entries': 2, 'zset-max-listpack-value': 8, 'list-max-listpack-size': 4,
      'list-compress-depth': 1, 'stream-node-max-entries': 4,
    },
    plainThreshold: 1000,
    commands: [
      ...everything('', 500),
      ['CONFIG', 'SET', 'list-max-listpack-size', '-1'],
      ['CONFIG', 'SET', 'list-compress-depth', '2'],
      ['RPUSH', 'list:kb', ...range(2000).map((i) => `compressible element number ${i}`)],
    ],
    encodings: [...ALL_TYPES, 'hash:hashtable', 'set:hashtable', 'zset:skiplist'],
    absent: ['hash:listpack', 'set:intset', 'zset:listpack'],
  },
  {
    // Strings are stored raw, but quicklist nodes compressed in memory are still written as LZF blobs.
    name: 'no-compression-no-checksum',
    config: { rdbcompression: 'no', rdbchecksum: 'no', 'list-compress-depth': 1, 'list-max-listpack-size': -1 },
    plainThreshold: 2000,
    commands: everything('', 1500),
    encodings: [...ALL_TYPES, 'hash:listpack', 'hash:hashtable', 'set:intset', 'set:hashtable', 'zset:listpack', 'zset:skiplist'],
  },
  {
    name: 'streams-functions',
    config: { 'stream-node-max-entries': 10 },
    commands: [...streams('', 200), ...streams('other:', 25), ...FUNCTIONS],
    encodings: ['stream:stream'],
  },
  {
    // allkeys-lru makes SAVE write an IDLE before each key.
    name: 'many-dbs-expiries',
    config: { databases: 8, 'maxmemory-policy': 'allkeys-lru' },
    commands: manyDbs(),
    encodings: ['string:int', 'string:embstr', 'list:quicklist', 'hash:listpack', 'set:intset', 'zset:listpack', 'stream:stream'],
  },
  {
    // allkeys-lfu makes SAVE write a FREQ before each key.
    name: 'binary',
    config: { 'maxmemory-policy': 'allkeys-lfu' },
    commands: binary(),
    encodings: ['string:embstr', 'string:raw', 'list:quicklist', 'hash:listpack', 'hash:hashtable', 'set:hashtable', 'zset:listpack', 'zset:skiplist'],
  },
];
