// Importing Redis RDB files: into a running server over the protocol (this project's, and a
// real redis-server, which must end up with the same DEBUG DIGEST as one that loaded the
// file itself), in process, and through the CLI with its report and exit status.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';
import { importRdbFile, importRdbToServer } from '../../lib/rdb';
import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server';
import { RespClient } from '../support/resp';
import { startServer } from '../support/server';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/rdb');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-rdb-import-'));
const FAR = 4_102_444_800_000;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A file written by redis-server itself: every type in small and large encodings, TTLs,
// binary data, two databases (imports merge them into db 0: their keys do not collide).
async function redisWrittenFile(): Promise<string> {
  const server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  const c = await RespClient.connect(server.port);
  try {
    const big = Array.from({ length: 300 }, (_, i) => i);
    await c.send([
      ['SET', 'str', 'text'], ['SET', 'int', '12345'], ['SET', 'lzf', 'abcd'.repeat(100)],
      ['SET', Buffer.from([0xfe, 0xff]), Buffer.from([0, 1, 0x80])],
      ['SET', 'ttl', 'v', 'PXAT', String(FAR)],
      ['RPUSH', 'list', 'a', 'b', '3'], ['RPUSH', 'biglist', ...big.map((i) => `item${i}`)],
      ['HSET', 'hash', 'f', 'v', 'n', '1'], ['HSET', 'bighash', ...big.flatMap((i) => [`f${i}`, `v${i}`])],
      ['SADD', 'ints', '1', '2', '-3'], ['SADD', 'bigset', ...big.map((i) => `m${i}`)],
      ['ZADD', 'zset', '1', 'a', '2.5', 'b', '-inf', 'c'], ['ZADD', 'bigzset', ...big.flatMap((i) => [String(i / 7), `m${i}`])],
      ['PEXPIREAT', 'bighash', String(FAR)],
      ['SELECT', '1'], ['SET', 'db1-key', 'x'], ['SELECT', '0'],
    ]);
    await c.call(['SAVE']);
    const file = path.join(dir, `redis-${Date.now()}.rdb`);
    fs.copyFileSync(path.join(server.dir, 'dump.rdb'), file);
    return file;
  } finally {
    await c.close();
    await server.stop();
  }
}

describe.skipIf(!hasRedisServer)('import of a file redis-server wrote', () => {
  let file: string;
  let direct: RedisServer;
  let directDigest: string;
  beforeAll(async () => {
    file = await redisWrittenFile();
    // db 1 merged into db 0 by the import; the reference loads the same in db 0 only
    const rdir = fs.mkdtempSync(path.join(dir, 'direct-'));
    fs.copyFileSync(file, path.join(rdir, 'dump.rdb'));
    direct = await startRedisServer({ args: ['--dir', rdir, '--dbfilename', 'dump.rdb', '--enable-debug-command', 'yes'] });
    const c = await RespClient.connect(direct.port);
    await c.send([['SELECT', '1'], ['MOVE', 'db1-key', '0'], ['SELECT', '0']]);
    directDigest = String(await c.call(['DEBUG', 'DIGEST']));
    await c.close();
  });
  afterAll(async () => {
    await direct?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('into a real redis-server: the same DEBUG DIGEST as loading the file', async () => {
    const target = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
    try {
      const report = await importRdbToServer(file, { port: target.port });
      expect(report).toMatchObject({ complete: true, keys: 14, serverErrors: 0, skipped: {} });
      const c = await RespClient.connect(target.port);
      expect(String(await c.call(['DEBUG', 'DIGEST']))).toBe(directDigest);
      await c.close();
    } finally {
      await target.stop();
    }
  });

  it('into this project\'s server: the same data as an in-process import', async () => {
    const srv = await startServer({ requirepass: 'secret' });
    try {
      const report = await importRdbToServer(file, { port: srv.port, password: 'secret' });
      expect(report).toMatchObject({ keys: 14, serverErrors: 0 });
      const local = new Keyspace({ instanceId: 7 });
      await importRdbFile(local, file);
      expect(srv.server.keyspace.digest()).toBe(local.digest());
      // values as redis serves them
      const c = await RespClient.connect(direct.port);
      for (const argv of [['ZRANGE', 'bigzset', '0', '-1', 'WITHSCORES'], ['LRANGE', 'biglist', '0', '-1'], ['GET', 'lzf'], ['PEXPIRETIME', 'bighash']])
        expect(local.exec(argv)).toEqual(await c.call(argv));
      await c.close();
    } finally {
      await srv.stop();
    }
  });

  it('a wrong password stops before any write', async () => {
    const srv = await startServer({ requirepass: 'secret' });
    try {
      await expect(importRdbToServer(file, { port: srv.port, password: 'wrong' })).rejects.toThrow(/AUTH failed/);
      expect(srv.server.keyspace.stats().keys).toBe(0);
    } finally {
      await srv.stop();
    }
  });
});

describe('what cannot be imported is reported, the rest goes in', () => {
  it('streams, modules, functions, expired keys, other databases', async () => {
    const ks = new Keyspace({ instanceId: 1 });
    const streams = await importRdbFile(ks, path.join(FIXTURES, 'v10.rdb'));
    expect(streams.skipped).toMatchObject({ stream: expect.any(Number), 'function library': 1 });
    expect(streams.keys).toBeGreaterThan(0);
    const modules = await importRdbFile(ks, path.join(FIXTURES, 'module-unknown.rdb'));
    expect(Object.keys(modules.skipped ?? {}).some((r) => r.startsWith('module value'))).toBe(true);
    const expired = await importRdbFile(ks, path.join(FIXTURES, 'expired.rdb'));
    expect(expired.expiredKeys).toBe(1);
    const onlyDb9 = await importRdbFile(new Keyspace({ instanceId: 2 }), path.join(FIXTURES, 'multi-db.rdb'), { db: 9 });
    expect(onlyDb9.otherDbKeys).toBeGreaterThan(0);
    const ttls = await importRdbFile(new Keyspace({ instanceId: 3 }), path.join(FIXTURES, 'v12.rdb'));
    expect(ttls.fieldTtlsDropped).toBeGreaterThan(0);
    expect(ttls.expiredFields).toBe(1);
  });

  it('a corrupt file is an error that names the offset', async () => {
    await expect(importRdbFile(new Keyspace({ instanceId: 1 }), path.join(FIXTURES, 'corrupt/bad-checksum.rdb'))).rejects.toThrow(
      /offset \d+: checksum mismatch/,
    );
  });
});

// The loader runs SETs from a short queue (their key-table misses overlap); everything else
// waits for the queue to empty, and an error still loads what came before it.
describe('commands keep the file\'s order', () => {
  it.skipIf(!hasRedisServer)('a key that is a string in db 0 and a hash in db 1 ends as the hash', async () => {
    const server = await startRedisServer();
    const c = await RespClient.connect(server.port);
    const file = path.join(dir, 'two-dbs.rdb');
    try {
      const strings = Array.from({ length: 20 }, (_, i) => ['SET', `s${i}`, `v${i}`]);
      await c.send([...strings, ['SET', 'k', 'string'], ['SELECT', '1'], ['HSET', 'k', 'f', 'v'], ['SAVE']]);
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(server.dir, 'dump.rdb'), file);
    } finally {
      await c.close();
      await server.stop();
    }
    const ks = new Keyspace({ instanceId: 1 });
    const report = await importRdbFile(ks, file);
    expect(report.errors ?? 0).toBe(0);
    expect(String(ks.exec(['TYPE', 'k']))).toBe('hash');
    expect(ks.exec(['HGETALL', 'k']).map(String)).toEqual(['f', 'v']);
    expect(ks.exec(['DBSIZE'])).toBe(21);
  });

  it('a bad byte after the last key loads every key before it, then fails', async () => {
    const src = new Keyspace({ instanceId: 1 });
    for (let i = 0; i < 100; i++) src.exec(['SET', `key:${i}`, `value:${i}`]);
    const whole = src.toRdb({ compress: false });
    const file = path.join(dir, 'bad-eof.rdb');
    fs.mkdirSync(dir, { recursive: true });
    expect(whole[whole.length - 9]).toBe(0xff); // EOF, then the checksum
    const bad = Buffer.from(whole);
    bad[whole.length - 9] = 0x7f; // no such value type: an error in the same read as the last keys
    fs.writeFileSync(file, bad);
    const ks = new Keyspace({ instanceId: 2 });
    await expect(importRdbFile(ks, file)).rejects.toThrow(/offset \d+/);
    expect(ks.exec(['DBSIZE'])).toBe(100);
    expect(String(ks.exec(['GET', 'key:99']))).toBe('value:99');
  });
});

describe.skipIf(!fs.existsSync(CLI))('CLI', () => {
  it('rdb inspect: summary, --json, --dump; non-zero exit on a corrupt file', async () => {
    const file = path.join(FIXTURES, 'multi-db.rdb');
    const text = await run(['rdb', 'inspect', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/RDB version 10/);
    expect(text.stdout).toMatch(/db 9: \d+ keys/);
    const json = JSON.parse((await run(['rdb', 'inspect', '--json', file])).stdout);
    const dump = (await run(['rdb', 'inspect', '--dump', file])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const total = Object.values(json.databases as Record<string, { keys: number }>).reduce((a, d) => a + d.keys, 0);
    expect(dump).toHaveLength(total);
    expect(dump[0]).toHaveProperty('db');
    const bad = await run(['rdb', 'inspect', path.join(FIXTURES, 'corrupt/truncated.rdb')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/offset \d+/);
  });

  it('import: summary of what went in and what could not', async () => {
    const srv = await startServer();
    try {
      const r = await run(['import', path.join(FIXTURES, 'v10.rdb'), '--port', String(srv.port), '--no-progress']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/imported \d+ keys/);
      expect(r.stdout).toMatch(/could not import \d+ × stream/);
      expect(srv.server.keyspace.stats().keys).toBeGreaterThan(0);
    } finally {
      await srv.stop();
    }
  });
});

describe('a server that goes away', () => {
  it('mid-import is an error, not a silent end', async () => {
    const net = await import('node:net');
    // Reads a little, stops reading (so the importer's writes back up), then drops the connection.
    const server = net.createServer((s) => {
      s.once('data', () => {
        s.pause();
        setTimeout(() => s.destroy(), 200);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const ks = new Keyspace({ instanceId: 1 });
    for (let i = 0; i < 100; i++) ks.exec(['SET', `big:${i}`, Buffer.alloc(200_000, i)]);
    const file = path.join(dir, 'big-for-drop.rdb');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, ks.toRdb({ compress: false }));
    try {
      await expect(importRdbToServer(file, { port })).rejects.toThrow(/closed the connection|ECONNRESET|EPIPE/);
    } finally {
      server.close();
      fs.rmSync(file, { force: true });
    }
  });
});
