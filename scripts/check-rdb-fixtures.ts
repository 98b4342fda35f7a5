// Checks the committed RDB fixtures against the real Redis tools, so the expected dumps
// are not just the test writer agreeing with itself:
//   - every valid fixture of version <= 10: `redis-check-rdb FILE` must say OK;
//   - those without module data: a real redis-server (--sanitize-dump-payload yes, so
//     it validates every ziplist/listpack/intset/zipmap/stream entry) loads the file,
//     and what it serves per key (TYPE, GET, LRANGE, SMEMBERS, ZRANGE WITHSCORES,
//     HGETALL, XRANGE + XINFO STREAM FULL, PEXPIRETIME), the key counts per db and the
//     function libraries must equal the committed NAME.jsonl;
//   - corrupt fixtures of version <= 10: redis-check-rdb must reject them.
// Version 11/12 files (set listpack, stream v3, SLOT_INFO, field TTLs) are beyond the
// installed Redis 7.0.15: reported as not checkable.
//
//   npx tsx scripts/check-rdb-fixtures.ts        (exit 1 on any failure)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ExpectedEntry, ExpectedStream, Score } from '../test/support/rdb-legacy-writer';
import { startRedisServer } from '../test/support/redis-server';
import { RespClient, type RespValue } from '../test/support/resp';
import { FIXTURE_DIR, buildCorruptFixtures, buildFixtures } from './make-rdb-fixtures';

const text = (v: RespValue) => (Buffer.isBuffer(v) ? v.toString() : String(v));
const list = (v: RespValue) => v as RespValue[];
/** A flat [name, value, name, value...] reply as a map by name. */
const fields = (v: RespValue) => {
  const items = list(v);
  const m = new Map<string, RespValue>();
  for (let i = 0; i < items.length; i += 2) m.set(text(items[i]!), items[i + 1]!);
  return m;
};
const score = (s: string): Score => (s === 'inf' ? 'inf' : s === '-inf' ? '-inf' : Number(s));
const scoreNum = (s: Score) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s);

function checkRdb(file: string): { ok: boolean; detail: string } {
  const r = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  // The line after the banner says what redis found wrong.
  const lines = out.split('\n');
  const error = lines[lines.findIndex((l) => l.includes('RDB ERROR DETECTED')) + 1];
  return { ok: r.status === 0 && out.includes('RDB looks OK'), detail: error?.trim() ?? '' };
}

/** What redis serves for one key, in the reader's dump form. */
async function served(c: RespClient, e: ExpectedEntry): Promise<ExpectedEntry> {
  const key = Buffer.from(e.key, e.keyEncoding ? 'base64' : 'utf8');
  const show = (v: RespValue) => (v as Buffer).toString(e.encoding ? 'base64' : 'utf8');
  const type = text(await c.call(['TYPE', key]));
  const pexpire = (await c.call(['PEXPIRETIME', key])) as number;
  let value: ExpectedEntry['value'] = null;
  if (type === 'string') value = show(await c.call(['GET', key]));
  else if (type === 'list') value = list(await c.call(['LRANGE', key, '0', '-1'])).map(show);
  else if (type === 'set') value = list(await c.call(['SMEMBERS', key])).map(show);
  else if (type === 'hash') {
    const items = list(await c.call(['HGETALL', key]));
    const obj: Record<string, string> = {};
    for (let i = 0; i < items.length; i += 2) obj[show(items[i]!)] = show(items[i + 1]!);
    value = obj;
  } else if (type === 'zset') {
    const items = list(await c.call(['ZRANGE', key, '0', '-1', 'WITHSCORES']));
    const pairs: [string, Score][] = [];
    for (let i = 0; i < items.length; i += 2) pairs.push([show(items[i]!), score(text(items[i + 1]!))]);
    value = pairs;
  } else if (type === 'stream') value = await servedStream(c, key);
  return { ...e, type: type as ExpectedEntry['type'], value, expireAt: pexpire === -1 ? null : pexpire };
}

async function servedStream(c: RespClient, key: Buffer): Promise<ExpectedStream> {
  const entries = list(await c.call(['XRANGE', key, '-', '+'])).map((item) => {
    const [id, kv] = list(item);
    return [text(id!), list(kv!).map(text)] as [string, string[]];
  });
  const info = fields(await c.call(['XINFO', 'STREAM', key, 'FULL', 'COUNT', '0']));
  return {
    length: info.get('length') as number,
    lastId: text(info.get('last-generated-id')!),
    firstId: text(info.get('recorded-first-entry-id')!),
    maxDeletedId: text(info.get('max-deleted-entry-id')!),
    entriesAdded: info.get('entries-added') as number,
    entries,
    groups: list(info.get('groups')!).map((g) => {
      const gf = fields(g);
      return {
        name: text(gf.get('name')!),
        lastId: text(gf.get('last-delivered-id')!),
        entriesRead: gf.get('entries-read') as number,
        pending: list(gf.get('pending')!).map((p) => {
          const [id, consumer, time, count] = list(p);
          return [text(id!), text(consumer!), time as number, count as number] as [string, string, number, number];
        }),
        consumers: list(gf.get('consumers')!).map((cv) => {
          const cf = fields(cv);
          return {
            name: text(cf.get('name')!),
            seenTime: cf.get('seen-time') as number,
            pending: list(cf.get('pending')!).map((p) => text(list(p)[0]!)),
          };
        }),
      };
    }),
  };
}

/**
 * One form for comparing: sets and hashes sorted, zsets in score order (redis serves
 * its own order; types 3 and 5 keep the file's), and stream fields that the expected
 * dump leaves out (v1 files store no first id, entries added, entries read) dropped.
 */
function comparable(e: ExpectedEntry, shape: ExpectedEntry): unknown {
  let value: unknown = e.value;
  if (e.type === 'set') value = [...(e.value as string[])].sort();
  if (e.type === 'hash') value = Object.entries(e.value as Record<string, string>).sort();
  if (e.type === 'zset') {
    value = [...(e.value as [string, Score][])].sort((a, b) => scoreNum(a[1]) - scoreNum(b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  if (e.type === 'stream' && shape.type === 'stream') {
    const want = shape.value as ExpectedStream;
    const s = { ...(e.value as ExpectedStream) };
    for (const k of ['firstId', 'maxDeletedId', 'entriesAdded'] as const) if (!(k in want)) delete s[k];
    s.groups = s.groups.map((g, i) => {
      const { entriesRead, ...rest } = g;
      const wg = want.groups[i];
      return wg && 'entriesRead' in wg ? { ...rest, entriesRead } : rest;
    });
    value = s;
  }
  return JSON.parse(JSON.stringify({ ...e, value }));
}

async function loadAndCompare(file: string, expected: ExpectedEntry[], functions: string[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdb-fixture-'));
  fs.copyFileSync(file, path.join(dir, 'dump.rdb'));
  const problems: string[] = [];
  const server = await startRedisServer({ args: ['--dir', dir, '--dbfilename', 'dump.rdb', '--sanitize-dump-payload', 'yes'] });
  const c = await RespClient.connect(server.port);
  try {
    const now = Date.now();
    // Redis drops keys already expired when it loads a file as a master.
    const live = expected.filter((e) => e.expireAt === null || e.expireAt > now);
    for (const e of live) {
      await c.call(['SELECT', String(e.db)]);
      const got = await served(c, e);
      const a = comparable(got, e);
      const b = comparable(e, e);
      if (!isDeepStrictEqual(a, b)) problems.push(`db ${e.db} key ${e.key}:\n  expected ${JSON.stringify(b)}\n  redis    ${JSON.stringify(a)}`);
    }
    const keyspace = text(await c.call(['INFO', 'keyspace']));
    const served_ = Object.fromEntries([...keyspace.matchAll(/^db(\d+):keys=(\d+),expires=(\d+)/gm)].map((m) => [m[1], `${m[2]}/${m[3]}`]));
    const want: Record<string, string> = {};
    for (const db of new Set(live.map((e) => e.db))) {
      const inDb = live.filter((e) => e.db === db);
      want[db] = `${inDb.length}/${inDb.filter((e) => e.expireAt !== null).length}`;
    }
    if (!isDeepStrictEqual(served_, want)) problems.push(`keys/expires per db: expected ${JSON.stringify(want)}, redis ${JSON.stringify(served_)}`);
    const libs = list(await c.call(['FUNCTION', 'LIST'])).map((l) => text(fields(l).get('library_name')!)).sort();
    if (!isDeepStrictEqual(libs, [...functions].sort())) problems.push(`function libraries: expected ${functions}, redis ${libs}`);
  } finally {
    await c.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

async function main() {
  let failures = 0;
  const report = (name: string, check: string, load: string) => console.log(`${name.padEnd(28)} ${check.padEnd(40)} ${load}`);
  report('fixture', 'redis-check-rdb 7.0.15', 'redis-server 7.0.15 load + compare');
  for (const f of buildFixtures()) {
    const file = path.join(FIXTURE_DIR, `${f.name}.rdb`);
    const version = Number(fs.readFileSync(file).subarray(5, 9).toString());
    if (f.redis70 === 'none') {
      report(`${f.name}.rdb`, `not checkable (version ${version} > 10)`, 'not loadable (version > 10)');
      continue;
    }
    const chk = checkRdb(file);
    if (!chk.ok) failures++;
    let load = 'skipped: unknown module data (redis-server needs the module)';
    if (f.redis70 === 'load') {
      const expected = fs.readFileSync(path.join(FIXTURE_DIR, `${f.name}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExpectedEntry);
      try {
        const problems = await loadAndCompare(file, expected, f.functions);
        const dropped = expected.filter((e) => e.expireAt !== null && e.expireAt <= Date.now()).length;
        load = problems.length ? `MISMATCH\n${problems.join('\n')}` : `OK (${expected.length - dropped} keys${dropped ? `, ${dropped} expired dropped` : ''})`;
        if (problems.length) failures++;
      } catch (err) {
        failures++;
        load = `LOAD FAILED: ${(err as Error).message.split('\n').slice(0, 8).join('\n')}`;
      }
    }
    report(`${f.name}.rdb`, chk.ok ? 'OK' : `FAILED: ${chk.detail}`, load);
  }
  for (const f of buildCorruptFixtures()) {
    const file = path.join(FIXTURE_DIR, 'corrupt', `${f.name}.rdb`);
    const chk = checkRdb(file);
    if (chk.ok) failures++;
    report(`corrupt/${f.name}.rdb`, chk.ok ? 'ACCEPTED (should be rejected)' : 'rejected', chk.detail);
  }
  console.log(failures ? `\n${failures} failure(s)` : '\nall checks passed');
  process.exit(failures ? 1 : 0);
}

void main();
