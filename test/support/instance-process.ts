// `redis-active-active start` as a child process (dist/cli.js): for restarts, kill -9 and
// moves to a new port, which a server inside the test process cannot show.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';

import { freePort, waitExit } from './redis-server';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');
export const hasCli = fs.existsSync(CLI);

export interface InstanceProcess {
  port: number;
  child: ChildProcess;
  client: Redis;
  output(): string;
  /** SIGTERM (the instance saves its snapshot with --dir) and wait for the exit. */
  stop(): Promise<void>;
  /** kill -9: nothing is saved. */
  kill9(): Promise<void>;
}

export async function startInstance(args: string[], port?: number): Promise<InstanceProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, 'start', '--port', String(p), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance exited early (${child.exitCode}):\n${out}`);
    if (out.includes('ready to accept connections')) break;
    if (Date.now() > deadline) throw new Error(`instance did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const client = new Redis(p, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  const end = async (signal: NodeJS.Signals) => {
    client.disconnect();
    child.kill(signal);
    await waitExit(child, 30_000);
  };
  return { port: p, child, client, output: () => out, stop: () => end('SIGTERM'), kill9: () => end('SIGKILL') };
}
