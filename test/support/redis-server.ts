// Start and stop a throwaway real redis-server on a free loopback port, for
// compatibility tests and benchmarks. No persistence; its --dir is a temp dir
// removed on stop(). Use `hasRedisServer` with describe.skipIf(!hasRedisServer).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RespClient, parseReply } from './resp';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findRedisServer(): string | undefined {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'redis-server'))
    .find(isExecutable);
}

/** The redis-server binary: $REDIS_SERVER_BIN if set, else the one on PATH; undefined when absent. */
export const redisServerBin: string | undefined = findRedisServer();
export const hasRedisServer = redisServerBin !== undefined;

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Kill the server, wait for it to exit, remove its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra command-line arguments, e.g. ['--maxmemory', '10mb']. */
  args?: string[];
  /** How long to wait for PING to answer (ms). */
  timeoutMs?: number;
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves true once the child has exited, or false after `ms`. */
export function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function pingUntilReady(child: ChildProcess, port: number, deadline: number, log: () => string) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited early (code ${child.exitCode}):\n${log()}`);
    }
    try {
      const client = await RespClient.connect(port);
      try {
        if (parseReply((await client.send([['PING']]))[0]!) === 'PONG') return;
      } finally {
        await client.close();
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING:\n${log()}`);
    await sleep(20);
  }
}

async function startOnce(bin: string, options: StartOptions): Promise<RedisServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-aa-test-'));
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawn(bin, [...args, ...(options.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(String(err))));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (!(await waitExit(child, 0))) {
        child.kill('SIGTERM');
        if (!(await waitExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitExit(child, 5000);
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    })());

  try {
    await pingUntilReady(child, port, Date.now() + (options.timeoutMs ?? 10_000), () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, port, dir, process: child, stop };
}

/** Start a fresh redis-server; retries on a new port if another process took the port. */
export async function startRedisServer(options: StartOptions = {}): Promise<RedisServer> {
  if (!redisServerBin) throw new Error('redis-server is not installed (set REDIS_SERVER_BIN or add it to PATH)');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(redisServerBin, options);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
