// Writes the committed RDB fixtures: test/fixtures/rdb/NAME.rdb with NAME.jsonl (what the
// reader must report, one entry per line in file order) and test/fixtures/rdb/corrupt/
// NAME.rdb with NAME.txt (what is wrong). They hold the old versions and encodings that
// Redis 7.0 no longer writes, so they are made by test/support/rdb-legacy-writer.ts and
// checked against the real redis-check-rdb and redis-server by
// scripts/check-rdb-fixtures.ts.
//
//   npx tsx scripts/make-rdb-fixtures.ts
//
// Output is deterministic (fixed times, no randomness): rerunning changes nothing
// unless this file or the writer changed. test/rdb/legacy-writer.test.ts checks that.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RdbWriter, crc64, encodeString, intLE, keyHashSlot, listpack, ziplist, type ExpectedEntry } from '../test/support/rdb-legacy-writer';

export const FIXTURE_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'rdb');

/** 2038-01-01: the last whole year an int32 of seconds (EXPIRETIME, RDB 1-2) can reach. */
const FAR_S = 2145916800;
/** 2100-01-01, in ms. */
const FAR_MS = 4102444800000;
/** 2001-09-09: an expiry long past. */
const PAST_MS = 1000000000000;
/** Stream timestamps (2023-11-14). */
const T = 1700000000000;

export interface Fixture {
  name: string;
  about: string;
  rdb: Buffer;
  entries: ExpectedEntry[];
  /** What redis 7.0.15 can do with it: load it, only check it (unknown module), or nothing (version 11+). */
  redis70: 'load' | 'check' | 'none';
  /** Function libraries in the file (FUNCTION2). */
  functions: string[];
}

export interface CorruptFixture {
  name: string;
  rdb: Buffer;
  /** What is wrong, written to NAME.txt. */
  what: string;
}

/** Printable text of n bytes that LZF cannot shrink much (a fixed xorshift sequence). */
function noise(n: number, seed = 0x2545f491): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += alphabet[(x >>> 0) % alphabet.length];
  }
  return s;
}

const LIBRARY = (name: string) =>
  `#!lua name=${name}\nredis.register_function('${name}_hello', function() return 'hello from ${name}' end)\n`;

/** Integers at each edge of the ziplist and listpack integer encodings. */
const EDGE_INTS = [
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '-1', '-128', '127', '128', '-129',
  '-4096', '4095', '4096', '-4097', '32767', '-32768', '32768', '-32769', '8388607', '-8388608', '8388608',
  '-8388609', '2147483647', '-2147483648', '2147483648', '-2147483649', '9223372036854775807', '-9223372036854775808',
];
/** Strings that look numeric but are not canonical int64s, so they stay strings. */
const NOT_INTS = ['007', '+5', '-0', '1.5', ' 1', '9223372036854775808', '-9223372036854775809', '1'.repeat(31), '12345678901234567890123456789012'];

function build(name: string, about: string, version: number, write: (w: RdbWriter) => void, checksum: 'crc' | 'zero' = 'crc', functions: string[] = []): Fixture {
  const w = new RdbWriter(version);
  write(w);
  const rdb = w.end(checksum);
  const redis70 = version > 10 ? 'none' : w.hasModuleData ? 'check' : 'load';
  return { name, about, rdb, entries: w.entries, redis70, functions };
}

/** A small stream: one node, one group with a consumer, as v1/v2/v3. */
function smallStream(v: 1 | 2 | 3) {
  return {
    nodes: [
      {
        masterFields: ['event', 'user'],
        entries: [
          { id: `${T}-0`, fields: [['event', 'login'], ['user', 'ann']] as [string, string][] },
          { id: `${T}-1`, fields: [['event', 'logout'], ['user', 'ann']] as [string, string][] },
          { id: `${T + 7}-0`, fields: [['event', 'login'], ['user', 'bob'], ['ip', '10.0.0.1']] as [string, string][] },
        ],
      },
    ],
    lastId: `${T + 7}-0`,
    firstId: `${T}-0`,
    maxDeletedId: '0-0',
    entriesAdded: 3,
    groups: [
      {
        name: 'workers',
        lastId: `${T}-1`,
        entriesRead: 2,
        pending: [{ id: `${T}-1`, deliveryTime: T + 100, deliveryCount: 2 }],
        consumers: [{ name: 'w1', seenTime: T + 200, activeTime: v === 3 ? T + 100 : undefined, pending: [`${T}-1`] }],
      },
    ],
  };
}

export function buildFixtures(): Fixture[] {
  const out: Fixture[] = [];
  const add = (f: Fixture) => out.push(f);

  add(build('v1', 'RDB 1 (Redis 1.x/2.0): types 0-4, seconds expiry, int and LZF strings, ASCII zset scores with inf/-inf, two dbs, no checksum', 1, (w) => {
    w.lzf = 'auto';
    w.selectDb(0);
    w.expireSec(FAR_S).string('greeting', 'hello, world');
    w.string('int8', '-7').string('int16', '12345').string('int32', '-2000000000').string('not-int', '007');
    w.string('compressed', 'abc'.repeat(30));
    w.list('list', ['a', '1', 'a longer element, '.repeat(3)]);
    w.set('set', ['x', 'y', '42']);
    w.zset('zset', [['top', Infinity], ['mid', 1.5], ['tenth', 0.1], ['neg', -3], ['bottom', -Infinity]]);
    w.expireSec(FAR_S).hash('hash', [['f1', 'v1'], ['n', '100']]);
    w.selectDb(1);
    w.string('db1', 'in the second db');
  }));

  add(build('v2', 'RDB 2 (2.4): zipmap, ziplist with the old int16/32/64 encodings only, intset, zset ziplist, seconds expiry', 2, (w) => {
    w.selectDb(0);
    w.expireSec(FAR_S).hashZipmap('zipmap', [{ key: 'name', value: 'redis' }, { key: 'ver', value: '2.4' }]);
    w.listZiplist('ziplist', ['a', '1', '-1', '300', '70000', '5000000000', 'string']);
    w.setIntset('intset', [-5, 1, 2, 3]);
    w.zsetZiplist('zset-ziplist', [['a', 1], ['b', 2.5], ['c', 70000]]);
    w.string('plain', 'v2');
  }));

  add(build('v3', 'RDB 3: millisecond expiry, ziplist (old ints), zset with ASCII scores', 3, (w) => {
    w.selectDb(0);
    w.expireMs(FAR_MS).string('ms-expiry', 'expires in 2100');
    w.expireMs(FAR_MS + 1).listZiplist('ziplist', ['x', '12', '-40000', 'y']);
    w.zset('zset', [['b', 2], ['a', -0.5]]);
  }));

  add(build('v4', 'RDB 4: hash ziplist (type 13)', 4, (w) => {
    w.selectDb(0);
    w.hashZiplist('hash-ziplist', [['field', 'value'], ['num', '12'], ['big', '-40000'], ['huge', '9000000000']]);
    w.expireMs(FAR_MS).hashZiplist('hash-expiring', [['a', 'b']]);
    w.setIntset('intset', [100, 200]);
  }));

  add(build('v5', 'RDB 5: CRC64 checksum', 5, (w) => {
    w.selectDb(0);
    w.string('checked', 'this file ends with a CRC64');
    w.set('set', ['one', 'two']);
    w.listZiplist('ziplist', ['1', '2', 'three']);
  }));

  add(build('v6', 'RDB 6 (2.6): ziplists with the new int8/int24/immediate encodings', 6, (w) => {
    w.selectDb(0);
    w.listZiplist('ziplist', ['0', '12', '13', '-100', '1000', '100000', '10000000', '3000000000', 'text']);
    w.hashZiplist('hash-ziplist', [['small', '7'], ['medium', '-8000000'], ['s', 'str']]);
    w.zsetZiplist('zset-ziplist', [['x', -1], ['y', 3], ['z', 3.75]]);
  }));

  add(build('v7', 'RDB 7 (3.2): AUX, RESIZEDB, quicklist of ziplists, LZF-compressed nodes', 7, (w) => {
    w.lzf = 'auto';
    w.aux('redis-ver', '3.2.13').aux('redis-bits', '64').aux('ctime', '1500000000').aux('used-mem', '1000000');
    w.selectDb(0).resizeDb();
    w.listQuicklist('quicklist', [['a', 'b', '3'], ['item '.repeat(10), 'item '.repeat(10), '-7']]);
    w.expireMs(FAR_MS).string('string', 'three point two');
    w.hashZiplist('hash-ziplist', [['k', 'v']]);
    w.zsetZiplist('zset-ziplist', [['m', 1]]);
  }));

  add(build('v8', 'RDB 8 (4.0): 64-bit (0x81) lengths, zset 2 with binary scores, aof-preamble/lua AUX', 8, (w) => {
    w.aux('redis-ver', '4.0.14').aux('redis-bits', '64').aux('aof-preamble', '0');
    w.aux('lua', "return redis.call('get', KEYS[1])");
    w.selectDb(0).resizeDb();
    w.zset2('zset2', [['top', Infinity], ['pi', 3.141592653589793], ['one', 1], ['neg', -2.5], ['bottom', -Infinity]]);
    w.lengthForm = '64bit';
    w.list('list-64bit-lengths', ['a', 'bb', '123']);
    w.lengthForm = undefined;
    w.expireMs(FAR_MS).hash('hash', [['f', 'v']]);
  }));

  add(build('v9', 'RDB 9 (5.0): stream listpacks v1 (type 15), IDLE, FREQ', 9, (w) => {
    w.aux('redis-ver', '5.0.14').aux('redis-bits', '64');
    w.selectDb(0).resizeDb();
    w.idle(3600).stream('stream', smallStream(1), 1);
    w.freq(5).string('frequent', 'lfu counter 5');
    w.idle(60).expireMs(FAR_MS).listQuicklist('quicklist', [['x', 'y']]);
  }));

  add(build('v10', 'RDB 10 (7.0): hash/zset listpack, quicklist 2, stream v2, FUNCTION2', 10, (w) => {
    w.aux('redis-ver', '7.0.15').aux('redis-bits', '64').aux('aof-base', '0');
    w.function2(LIBRARY('fixturelib'));
    w.selectDb(0).resizeDb();
    w.hashListpack('hash', [['a', '1'], ['b', 'two']]);
    w.zsetListpack('zset', [['low', -1], ['high', 2.5]]);
    w.listQuicklist2('list', [['a', 'b'], { plain: 'a plain node' }]);
    w.expireMs(FAR_MS).stream('stream', smallStream(2), 2);
  }, 'crc', ['fixturelib']));

  add(build('v11', 'RDB 11 (7.2): set listpack (type 20), stream v3 with consumer active time (type 21)', 11, (w) => {
    w.aux('redis-ver', '7.2.5').aux('redis-bits', '64');
    w.selectDb(0).resizeDb();
    w.setListpack('set', ['a', '1', '-100', 'member']);
    w.stream('stream', smallStream(3), 3);
    w.expireMs(FAR_MS).hashListpack('hash', [['k', 'v']]);
  }));

  add(build('v12', 'RDB 12 (7.4): SLOT_INFO, hashes with field TTLs (types 22-25), one field TTL already past', 12, (w) => {
    w.aux('redis-ver', '7.4.1').aux('redis-bits', '64');
    w.function2(LIBRARY('fixturelib12'));
    w.selectDb(0).resizeDb();
    // Keys grouped by cluster slot, slots ascending, as a cluster node writes them.
    const keys = ['{a}:hash22', '{a}:hash23', '{b}:hash24', '{b}:hash25', '{b}:string'].sort((x, y) => keyHashSlot(x) - keyHashSlot(y));
    let slot = -1;
    for (const key of keys) {
      if (keyHashSlot(key) !== slot) w.slotInfo((slot = keyHashSlot(key)));
      if (key.endsWith('hash22')) w.hashWithTtls(key, 22, [{ field: 'f1', value: 'v1', expireAt: FAR_MS }, { field: 'f2', value: 'v2' }]);
      if (key.endsWith('hash23')) w.hashWithTtls(key, 23, [{ field: 'f1', value: '1', expireAt: FAR_MS + 5 }, { field: 'f2', value: 'v2' }]);
      if (key.endsWith('hash24')) {
        w.hashWithTtls(key, 24, [
          { field: 'old', value: 'ttl passed', expireAt: PAST_MS },
          { field: 'later', value: 'v', expireAt: FAR_MS },
          { field: 'none', value: 'no ttl' },
        ]);
      }
      if (key.endsWith('hash25')) {
        w.expireMs(FAR_MS + 1000).hashWithTtls(key, 25, [
          { field: 'a', value: '1', expireAt: FAR_MS },
          { field: 'b', value: '2', expireAt: FAR_MS + 60000 },
          { field: 'c', value: '3' },
        ]);
      }
      if (key.endsWith('string')) w.string(key, 'in a cluster slot');
    }
  }, 'crc', ['fixturelib12']));

  add(build('empty', 'header, EOF and checksum only', 10, () => {}));

  add(build('zipmap', 'zipmaps: free bytes after a value, 0xFE (u32) key and value lengths, count byte 254 (unknown)', 4, (w) => {
    w.selectDb(0);
    w.hashZipmap('zipmap:basic', [{ key: 'a', value: '1' }, { key: 'b', value: 'two' }]);
    w.hashZipmap('zipmap:free', [{ key: 'name', value: 'short', free: 3 }, { key: 'n', value: '5', free: 1 }, { key: 'z', value: '' }]);
    w.hashZipmap('zipmap:long', [{ key: 'k'.repeat(300), value: 'v'.repeat(400) }, { key: 'small', value: 'x', free: 4 }]);
    w.hashZipmap('zipmap:count-unknown', [{ key: 'x', value: '1' }, { key: 'y', value: '2' }, { key: 'z', value: '3' }], 254);
  }));

  add(build('ziplist', 'every ziplist entry encoding: strings len6/len14/u32, int8/16/24/32/64, immediates 0..12, prevlen 1 and 5 bytes (natural and forced)', 7, (w) => {
    w.lzf = 'auto';
    w.selectDb(0).resizeDb();
    w.listQuicklist('ziplist:ints', [EDGE_INTS]);
    w.listQuicklist('ziplist:strings', [
      ['', 'x', 's'.repeat(63), 'm'.repeat(64), 'p'.repeat(300), 'after a 300-byte entry', ...NOT_INTS],
      ['z'.repeat(16384)],
      ['tail'],
    ]);
    w.listQuicklist('ziplist:big-prevlen', [['a', '1', 'bb', '70000']], { bigPrevlen: true });
    w.zsetZiplist('ziplist:zset', [['minus', -2.5], ['zero', 0], ['one', 1], ['frac', 3.25], ['big', 1e15], ['huge', 1e300], ['top', Infinity]]);
    w.hashZiplist('ziplist:hash', [['a', '1'], ['b', '-200'], ['c', 'text'], ['long', 'q'.repeat(260)], ['d', '70000']]);
  }));

  add(build('listpack', 'every listpack entry encoding: uint7, int13/16/24/32/64, strings len6/len12/u32, backlen 1/2/3 bytes (with the 16383 edge), quicklist 2 plain and packed nodes', 10, (w) => {
    w.lzf = 'auto';
    w.selectDb(0).resizeDb();
    w.listQuicklist2('listpack:ints', [EDGE_INTS]);
    w.listQuicklist2('listpack:strings', [
      ['', 'x', 's'.repeat(63), 'm'.repeat(64), 'b'.repeat(125), 'c'.repeat(126), 'L'.repeat(4095), ...NOT_INTS],
      ['u'.repeat(4096)],
      ['d'.repeat(16377)],
      ['e'.repeat(16378)],
      { plain: 'a plain node holds one element' },
    ]);
    w.hashListpack('listpack:hash', [['f1', 'v1'], ['int', '-5000'], ['big', '4294967296'], ['s', 'x'.repeat(70)]]);
    w.zsetListpack('listpack:zset', [['a', -Infinity], ['b', -1.5], ['c', 0], ['f', 2.5e-7], ['d', 7], ['e', 4096], ['g', Infinity]]);
  }));

  add(build('intset', 'intsets of width 2, 4 and 8 at their limits, and a wide intset of small values (never shrunk)', 7, (w) => {
    w.selectDb(0).resizeDb();
    w.setIntset('intset:16', [-32768, -1, 0, 5, 32767]);
    w.setIntset('intset:32', [-2147483648, -40000, 1, 40000, 2147483647]);
    w.setIntset('intset:64', [-(2n ** 63n), -3000000000n, 7n, 3000000000n, 2n ** 63n - 1n]);
    w.setIntset('intset:wide-small', [1, 2, 3], 8);
  }));

  add(build('lzf', 'LZF strings: runs (overlapping back-references), long matches, far references up to 8192 back, literal-only data, compressed keys and container blobs', 7, (w) => {
    w.lzf = 'auto';
    w.selectDb(0).resizeDb();
    w.string('lzf:run', 'a'.repeat(300));
    w.string('lzf:text', 'The quick brown fox jumps over the lazy dog. '.repeat(6));
    const block = noise(8192);
    w.string('lzf:far', block + block.slice(0, 200));
    w.string(`lzf-key:${'k'.repeat(40)}`, 'the key was compressed');
    w.listQuicklist('lzf:ziplist', [Array.from({ length: 20 }, (_, i) => `element ${i % 4}`)]);
    w.hash('lzf:hash', [['field', 'value '.repeat(20)]]);
    w.lzf = 'always';
    w.string('lzf:literal-only', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH');
    w.string('lzf:short', 'abc');
  }));

  add(build('multi-db', 'several dbs (0, 1, 9, 15) with RESIZEDB, the same key in two dbs', 10, (w) => {
    w.aux('redis-ver', '7.0.15');
    w.selectDb(0).resizeDb();
    w.string('shared', 'db 0').string('only0', 'x');
    w.selectDb(1).resizeDb();
    w.expireMs(FAR_MS).string('one', '1');
    w.selectDb(9).resizeDb();
    w.string('shared', 'db 9');
    w.hashListpack('h', [['f', 'v']]);
    w.selectDb(15).resizeDb();
    w.listQuicklist2('last', [['z']]);
  }));

  add(build('checksum-zero', 'checksum disabled: the stored CRC64 is 0', 10, (w) => {
    w.selectDb(0).resizeDb();
    w.string('unchecked', 'rdbchecksum no');
    w.setIntset('s', [1, 2]);
  }, 'zero'));

  add(build('module-unknown', 'an unknown module: MODULE_AUX before and after the keys and a type 7 value using every module opcode (reported as a module entry)', 9, (w) => {
    w.aux('redis-ver', '5.0.14').aux('redis-bits', '64');
    w.moduleAux('fixtmod-A', 3, 1, [{ uint: 7n }, { string: 'aux before the keys' }]);
    w.selectDb(0).resizeDb();
    w.string('before', 'a plain key before the module value');
    w.moduleValue('module:value', 'fixtmod-A', 3, [
      { sint: -42n },
      { uint: 2n ** 63n + 5n },
      { float: 1.5 },
      { double: -2.25 },
      { string: 'module string' },
      { string: '12345' },
      { string: 'repeated '.repeat(10) },
    ]);
    w.expireMs(FAR_MS).moduleValue('module:expiring', 'Other_mod', 0, [{ uint: 1n }]);
    w.string('after', 'a plain key after the module values');
    w.moduleAux('fixtmod-A', 3, 2, [{ double: 3.5 }]);
  }));

  add(build('expired', 'a key whose expiry (2001) passed: the reader reports it, redis drops it at load', 10, (w) => {
    w.selectDb(0).resizeDb();
    w.expireMs(PAST_MS).string('expired:gone', 'expired in 2001');
    w.expireMs(FAR_MS).string('expired:kept', 'expires in 2100');
    w.string('persistent', 'no expiry');
  }));

  add(build('binary', 'keys and values that are not UTF-8 (base64 in the dump), UTF-8 text, the empty key', 10, (w) => {
    w.selectDb(0).resizeDb();
    w.string(Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'value of a binary key');
    w.string('binary:value', Buffer.from([0x00, 0xc3, 0x28, 0xff]));
    w.hashListpack('binary:hash', [[Buffer.from([0x80]), 'v'], ['plain', 'text']]);
    w.listQuicklist2('binary:list', [['ok', Buffer.from([0xfe])]]);
    w.set('binary:set', [Buffer.from([0xc0]), 'x']);
    w.zsetListpack('binary:zset', [[Buffer.from([0xe0, 0x80]), 1], ['y', 2]]);
    w.string('utf8:clé 🔑', 'ключ ✓');
    w.string('', '');
  }));

  add(build('lengths', 'every length form: 6-bit, 14-bit, 0x80 u32 and 0x81 u64, natural and forced onto small values', 8, (w) => {
    w.lengthForm = '14bit';
    w.selectDb(0).resizeDb();
    w.list('len:14bit', ['a', 'b']);
    w.lengthForm = '32bit';
    w.set('len:32bit', ['x', 'y', 'z']);
    w.lengthForm = '64bit';
    w.hash('len:64bit', [['f', 'v']]);
    w.zset2('len:64bit-zset', [['m', 2]]);
    w.lengthForm = undefined;
    w.string('len:6bit', 'short');
    w.string('len:14bit-natural', 'n'.repeat(100));
    w.string('len:32bit-natural', 'N'.repeat(16384));
  }));

  add(build('stream', 'stream listpacks v2: two nodes, deleted entries, same-fields flag, negative seq delta, trimmed history, groups with PEL and consumers', 10, (w) => {
    w.lzf = 'auto';
    w.selectDb(0).resizeDb();
    const f = (...kv: string[]) => kv.flatMap((_, i) => (i % 2 ? [] : [[kv[i]!, kv[i + 1]!] as [string, string]]));
    w.stream('stream', {
      nodes: [
        {
          masterFields: ['sensor', 'temp'],
          entries: [
            { id: `${T}-0`, fields: f('sensor', 'a', 'temp', '21') },
            { id: `${T}-1`, fields: f('sensor', 'b', 'temp', '22.5'), deleted: true },
            { id: `${T + 5}-0`, fields: f('sensor', 'a', 'temp', '-3', 'note', 'cold') },
            { id: `${T + 5}-7`, fields: f('temp', '20', 'sensor', 'c') },
          ],
        },
        {
          masterFields: ['msg'],
          entries: [
            { id: `${T + 1000}-5`, fields: f('msg', 'hello') },
            { id: `${T + 1001}-0`, fields: f('msg', 'x') },
            { id: `${T + 1001}-1`, fields: f('msg', 'gone'), deleted: true },
            { id: `${T + 1002}-3`, fields: f('msg', 'long '.repeat(40)) },
            { id: `${T + 1009}-0`, fields: f('msg', 'last, deleted'), deleted: true },
          ],
        },
      ],
      lastId: `${T + 1009}-0`,
      firstId: `${T}-0`,
      maxDeletedId: `${T + 1009}-0`,
      entriesAdded: 11, // 2 trimmed away before these 9
      groups: [
        { name: 'idle-group', lastId: '0-0', entriesRead: 0, pending: [], consumers: [] },
        {
          name: 'readers',
          lastId: `${T + 1000}-5`,
          entriesRead: 7,
          pending: [
            { id: `${T}-0`, deliveryTime: T + 2000, deliveryCount: 1 },
            { id: `${T + 5}-0`, deliveryTime: T + 2100, deliveryCount: 3 },
            { id: `${T + 1000}-5`, deliveryTime: T + 2200, deliveryCount: 1 },
          ],
          consumers: [
            { name: 'alice', seenTime: T + 3000, pending: [`${T}-0`, `${T + 1000}-5`] },
            { name: 'bob', seenTime: T + 3500, pending: [`${T + 5}-0`] },
            { name: 'carol', seenTime: T + 4000, pending: [] },
          ],
        },
      ],
    }, 2);
  }));

  return out;
}

export function buildCorruptFixtures(): CorruptFixture[] {
  const out: CorruptFixture[] = [];
  const file = (version: number, write: (w: RdbWriter) => void) => {
    const w = new RdbWriter(version);
    write(w);
    return w.end();
  };

  const good = file(10, (w) => w.selectDb(0).string('k', 'value'));
  const bad = Buffer.from(good);
  bad[bad.length - 1] ^= 0x55;
  out.push({ name: 'bad-checksum', rdb: bad, what: 'The CRC64 at the end does not match the bytes before it (its last byte is flipped).' });

  const whole = file(10, (w) => w.selectDb(0).list('list', ['first element', 'second element', 'third element']));
  const cut = whole.indexOf('second') + 3;
  out.push({ name: 'truncated', rdb: whole.subarray(0, cut), what: `Cut off after ${cut} bytes, in the middle of the second element of a list (no EOF, no checksum).` });

  const zl = ziplist(['a', 'b', '1000']);
  zl.writeUInt32LE(zl.length + 10, 0);
  out.push({
    name: 'ziplist-bad-bytes',
    rdb: file(6, (w) => w.selectDb(0).raw([10]).raw(encodeString('list')).raw(encodeString(zl))),
    what: `A list ziplist (type 10) whose zlbytes header says ${zl.length + 10} bytes; the string holding it has ${zl.length}.`,
  });

  const lp = listpack(['f', 'v']);
  lp[9] = 0x80 | 60; // the second entry ("v", at offset 9) now claims a 60-byte string
  out.push({
    name: 'listpack-overrun',
    rdb: file(10, (w) => w.selectDb(0).raw([16]).raw(encodeString('hash')).raw(encodeString(lp))),
    what: 'A hash listpack (type 16) whose header and end byte are right, but whose second entry claims a 60-byte string: it runs past the end of the 13-byte listpack.',
  });

  const text = 'abcabcabcabcabcabcabcabcabcabc';
  const good30 = encodeString(text, 'always');
  // 0xC3, compressed length, uncompressed length (one byte each here): state 40 instead of 30.
  const lzfBad = Buffer.from(good30);
  lzfBad[2] = 40;
  out.push({
    name: 'lzf-bad-length',
    rdb: file(7, (w) => w.selectDb(0).raw([0]).raw(encodeString('k')).raw(lzfBad)),
    what: 'An LZF string (0xC3) that states 40 uncompressed bytes; its data decompresses to 30.',
  });

  out.push({
    name: 'unknown-type',
    rdb: file(10, (w) => w.selectDb(0).string('ok', 'fine').raw([200]).raw(encodeString('what')).raw(encodeString('???'))),
    what: 'After one good key, a key with value type byte 200, which no RDB version defines.',
  });

  out.push({
    name: 'huge-list-length',
    rdb: file(8, (w) => w.selectDb(0).raw([1]).raw(encodeString('list')).raw([0x81]).raw(Buffer.from([0, 0, 1, 0, 0, 0, 0, 0])).raw(encodeString('a')).raw(encodeString('b'))),
    what: 'A list (type 1) whose length is 2^40 (0x81 u64), followed by only two elements and EOF.',
  });

  const v12 = file(12, (w) => w.aux('redis-ver', '99.0.0').selectDb(0).string('k', 'v'));
  const v13 = Buffer.concat([Buffer.from('REDIS0013'), v12.subarray(9, v12.length - 8)]);
  out.push({
    name: 'version-13',
    rdb: Buffer.concat([v13, intLE(crc64(v13), 8)]),
    what: 'Header REDIS0013: a version newer than any this reader knows (1..12); the rest is a well-formed body with a correct checksum.',
  });
  return out;
}

function main() {
  const corruptDir = path.join(FIXTURE_DIR, 'corrupt');
  fs.mkdirSync(corruptDir, { recursive: true });
  // Start clean so renamed or dropped fixtures do not linger.
  for (const dir of [FIXTURE_DIR, corruptDir]) {
    for (const f of fs.readdirSync(dir)) if (/\.(rdb|jsonl|txt)$/.test(f)) fs.rmSync(path.join(dir, f));
  }
  let total = 0;
  for (const f of buildFixtures()) {
    fs.writeFileSync(path.join(FIXTURE_DIR, `${f.name}.rdb`), f.rdb);
    fs.writeFileSync(path.join(FIXTURE_DIR, `${f.name}.jsonl`), f.entries.map((e) => JSON.stringify(e) + '\n').join(''));
    total += f.rdb.length;
    console.log(`${f.name}.rdb  ${f.rdb.length} bytes, ${f.entries.length} keys  ${f.about}`);
  }
  for (const f of buildCorruptFixtures()) {
    fs.writeFileSync(path.join(corruptDir, `${f.name}.rdb`), f.rdb);
    fs.writeFileSync(path.join(corruptDir, `${f.name}.txt`), f.what + '\n');
    total += f.rdb.length;
    console.log(`corrupt/${f.name}.rdb  ${f.rdb.length} bytes  ${f.what}`);
  }
  console.log(`total ${total} bytes`);
}

if (path.basename(process.argv[1] ?? '') === 'make-rdb-fixtures.ts') main();
