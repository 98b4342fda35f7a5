// Real Redis tools against the endpoint (redis-cli, redis-benchmark), and the
// `redis-active-active start` command as a separate process.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startServer, type RunningServer } from '../support/server';
import { RawConn, parseInfo } from '../support/server-raw';

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, bin), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const hasCli = onPath('redis-cli');
const hasBenchmark = onPath('redis-benchmark');
const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], input?: string | Buffer, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${bin} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

describe.skipIf(!hasCli)('redis-cli', () => {
  let srv: RunningServer;
  const cli = (args: string[], input?: string | Buffer) => run('redis-cli', ['-p', String(srv.port), ...args], input);

  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('runs commands given as arguments', async () => {
    expect(await cli(['SET', 'greeting', 'hello world'])).toMatchObject({ code: 0, stdout: 'OK\n' });
    expect((await cli(['GET', 'greeting'])).stdout).toBe('hello world\n');
    expect((await cli(['--no-raw', 'GET', 'greeting'])).stdout).toBe('"hello world"\n');
    expect((await cli(['--no-raw', 'GET', 'nope'])).stdout).toBe('(nil)\n');
    expect((await cli(['INCRBY', 'n', '5'])).stdout).toBe('5\n');
    expect((await cli(['--no-raw', 'INCR', 'greeting'])).stdout).toBe('(error) ERR value is not an integer or out of range\n');
    expect((await cli(['PING'])).stdout).toBe('PONG\n');
    expect((await cli(['DBSIZE'])).stdout).toBe('2\n');
    expect((await cli(['INFO', 'server'])).stdout).toMatch(/^# Server\r?\nredis_version:/);
  });

  it('-3 speaks RESP3: HGETALL prints a map', async () => {
    expect((await cli(['HSET', 'h', 'f1', 'v1', 'f2', 'v2'])).stdout).toBe('2\n');
    expect((await cli(['-3', '--no-raw', 'HGETALL', 'h'])).stdout).toBe('1# "f1" => "v1"\n2# "f2" => "v2"\n');
    // The same in RESP2 is a flat array.
    expect((await cli(['--no-raw', 'HGETALL', 'h'])).stdout).toBe('1) "f1"\n2) "v1"\n3) "f2"\n4) "v2"\n');
    expect((await cli(['-3', '--no-raw', 'GET', 'missing'])).stdout).toBe('(nil)\n');
    expect((await cli(['-3', '--no-raw', 'SADD', 'set', 'a'])).stdout).toBe('(integer) 1\n');
    expect((await cli(['-3', '--no-raw', 'ZADD', 'z', '2.5', 'm'])).stdout).toBe('(integer) 1\n');
    expect((await cli(['-3', '--no-raw', 'ZSCORE', 'z', 'm'])).stdout).toBe('(double) 2.5\n');
  });

  it('--pipe mode: a few thousand commands, errors 0', async () => {
    const n = 4000;
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const key = `pipe:${i}`;
      const cmd = i % 2 ? ['SET', key, String(i)] : ['RPUSH', 'pipelist', String(i)];
      parts.push(Buffer.from(`*${cmd.length}\r\n` + cmd.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')));
    }
    const r = await cli(['--pipe'], Buffer.concat(parts));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('All data transferred');
    expect(r.stdout).toContain(`errors: 0, replies: ${n}`);
    expect((await cli(['LLEN', 'pipelist'])).stdout).toBe(`${n / 2}\n`);
    expect((await cli(['GET', 'pipe:3999'])).stdout).toBe('3999\n');
  });

  it('--pipe reports errors', async () => {
    // Inline commands this time; redis-cli exits 1 when a reply was an error (as with Redis).
    const r = await cli(['--pipe'], 'SET pe 1\r\nINCR pe\r\nLPUSH pe x\r\nGET pe\r\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('errors: 1, replies: 4');
    expect(r.stdout + r.stderr).toContain('WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  it('reads commands from stdin, one per line', async () => {
    const r = await cli([], 'SET a 1\nGET a\nINCR a\nECHO "two words"\nHSET hh f v\nHGETALL hh\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('OK\n1\n2\ntwo words\n1\nf\nv\n');
  });

  it('-n 1 is refused (one database), -a authenticates', async () => {
    const r = await cli(['-n', '1', 'PING']);
    expect(r.stdout + r.stderr).toMatch(/DB index is out of range/);
    const auth = await startServer({ requirepass: 'pw' });
    try {
      const noauth = await run('redis-cli', ['-p', String(auth.port), 'GET', 'x']);
      expect(noauth.stdout).toMatch(/NOAUTH Authentication required/);
      const ok = await run('redis-cli', ['-p', String(auth.port), '--no-auth-warning', '-a', 'pw', 'SET', 'x', '1']);
      expect(ok.stdout).toBe('OK\n');
      const user = await run('redis-cli', ['-p', String(auth.port), '--no-auth-warning', '--user', 'default', '--pass', 'pw', 'GET', 'x']);
      expect(user.stdout).toBe('1\n');
    } finally {
      await auth.stop();
    }
  });
});

/** "SET: 12345.67 requests per second, p50=..." lines of redis-benchmark -q, by test name. */
function benchmarkRates(out: string): Map<string, number> {
  const rates = new Map<string, number>();
  for (const piece of out.split(/[\r\n]+/)) {
    const m = /^\s*([A-Z_]+)(?: \([^)]*\))?: ([0-9.]+) requests per second/.exec(piece);
    if (m) rates.set(m[1]!, Number(m[2]));
  }
  return rates;
}

describe.skipIf(!hasBenchmark)('redis-benchmark', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv.stop();
  });

  const TESTS = ['SET', 'GET', 'INCR', 'LPUSH', 'SADD', 'HSET', 'ZADD'];

  for (const pipeline of [1, 16]) {
    it(`-t set,get,incr,lpush,sadd,hset,zadd -n 2000 -c 10 -q${pipeline > 1 ? ` -P ${pipeline}` : ''}`, async () => {
      const args = ['-p', String(srv.port), '-t', TESTS.join(',').toLowerCase(), '-n', '2000', '-c', '10', '-q'];
      if (pipeline > 1) args.push('-P', String(pipeline));
      const r = await run('redis-benchmark', args, undefined, 40_000);
      expect(r.code, r.stderr).toBe(0);
      const rates = benchmarkRates(r.stdout);
      expect([...rates.keys()].sort(), r.stdout).toEqual([...TESTS].sort());
      for (const [name, rate] of rates) expect(rate, name).toBeGreaterThan(0);
      expect(r.stdout + r.stderr).not.toMatch(/error/i);
      // The benchmark's writes are really there.
      const c = await RawConn.connect(srv.port);
      try {
        expect(await c.callText('EXISTS', 'key:__rand_int__')).toBe(':1\r\n');
        expect(Number((await c.callText('LLEN', 'mylist')).slice(1))).toBeGreaterThanOrEqual(2000);
        expect(await c.callText('EXISTS', 'counter:__rand_int__')).toBe(':1\r\n');
      } finally {
        c.close();
      }
    }, 45_000);
  }
});

describe.skipIf(!fs.existsSync(CLI))('redis-active-active start', () => {
  interface Started {
    child: ChildProcess;
    port: number;
    lines: Record<string, unknown>[];
    exit: Promise<number | null>;
  }

  async function start(extra: string[]): Promise<Started> {
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    const lines: Record<string, unknown>[] = [];
    let partial = '';
    let stderr = '';
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ready = new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        partial += d.toString();
        const all = partial.split('\n');
        partial = all.pop()!;
        for (const line of all) {
          if (!line.trim()) continue;
          const obj = JSON.parse(line) as Record<string, unknown>;
          lines.push(obj);
          if (obj.msg === 'ready to accept connections') resolve(Number(obj.port));
        }
      });
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      void exit.then((code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
      setTimeout(() => reject(new Error(`not ready in 15 s: ${stderr}`)), 15_000);
    });
    const port = await ready;
    return { child, port, lines, exit };
  }

  it('starts, serves, and shuts down on SIGTERM with exit code 0', async () => {
    const s = await start(['--instance-id', '2']);
    const readyLine = s.lines.find((l) => l.msg === 'ready to accept connections')!;
    expect(readyLine.instanceId).toBe(2);
    expect(readyLine.port).toBe(s.port);
    expect(typeof readyLine.level).toBe('number');
    const c = await RawConn.connect(s.port);
    expect(await c.callText('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(await c.callText('GET', 'k')).toBe('$1\r\nv\r\n');
    const crdt = parseInfo(String(await c.call('INFO', 'crdt'))).get('crdt')!;
    expect(crdt.get('instance_id')).toBe('2');

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect(s.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    expect(await c.waitClosed(2000)).toBe(true);
  });

  it('--requirepass and --user', async () => {
    const s = await start(['--instance-id', '3', '--requirepass', 'sekret', '--user', 'bob:bobpw']);
    try {
      const c = await RawConn.connect(s.port);
      expect(await c.callText('GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
      expect(await c.callText('AUTH', 'wrong')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
      expect(await c.callText('AUTH', 'sekret')).toBe('+OK\r\n');
      expect(await c.callText('SET', 'k', '1')).toBe('+OK\r\n');
      const b = await RawConn.connect(s.port);
      expect(await b.callText('AUTH', 'bob', 'bobpw')).toBe('+OK\r\n');
      expect(await b.callText('GET', 'k')).toBe('$1\r\n1\r\n');
      c.close();
      b.close();
    } finally {
      s.child.kill('SIGINT');
      expect(await s.exit).toBe(0);
    }
  });

  it('refuses a bad option with exit code 1', async () => {
    const r = await run(process.execPath, [CLI, 'start', '--port', '0', '--instance-id', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--instance-id must be an integer from 1 to 65535/);
  });
});
