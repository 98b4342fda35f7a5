// redis-benchmark against this project's server and against a real redis-server, same
// machine, same run, interleaved round by round so that drift in the machine's speed hits
// both alike. Each server is its own process (ours: `node dist/cli.js start`), and
// redis-benchmark a third. Reports requests per second and p99 latency per test, and the
// ratio ours / redis (median of the rounds). A third server, floor-server.ts, answers
// "+OK" to everything without parsing: the most any server on Node's sockets can do.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort, hasRedisServer, startRedisServer } from '../test/support/redis-server';
import { RespClient } from '../test/support/resp';
import { median, root } from './env';

export const TESTS = ['set', 'get', 'incr', 'lpush', 'sadd', 'hset', 'zadd'];

export interface ServerRow {
  test: string;
  pipeline: number;
  oursRps: number;
  redisRps: number;
  ratio: number;
  floorRps: number;
  oursP50: number;
  oursP99: number;
  redisP50: number;
  redisP99: number;
  rounds: number;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}


function redisBenchmark(port: number, pipeline: number, requests: number): Map<string, Sample> {
  const args = ['-p', String(port), '-t', TESTS.join(','), '-n', String(requests), '-c', '50', '-P', String(pipeline),
    '-r', '100000', '--csv'];
  const run = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr || run.stdout}`);
  const out = new Map<string, Sample>();
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  for (const line of run.stdout.trim().split('\n').slice(1)) {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    out.set(cells[0]!.toLowerCase().split(' ')[0]!, { rps: Number(cells[1]), p50: Number(cells[4]), p99: Number(cells[6]) });
  }
  return out;
}

async function startNode(args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...args, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      const c = await RespClient.connect(port);
      await c.close();
      return { port, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

export async function runServerBench(quick: boolean): Promise<ServerRow[]> {
  if (!hasRedisServer) throw new Error('the server bench needs redis-server and redis-benchmark');
  const redis = await startRedisServer();
  const ours = await startNode([path.join(root, 'dist/cli.js'), 'start', '--loglevel', 'warning', '--port']);
  const floor = await startNode(['--import', 'tsx', path.join(__dirname, 'floor-server.ts')]);
  const rows: ServerRow[] = [];
  try {
    const rounds = quick ? 1 : 3;
    // Untimed: JIT-compiled code, grown tables and warm caches on every side before measuring.
    for (const port of [ours.port, redis.port, floor.port]) redisBenchmark(port, 1, 20_000);
    for (const pipeline of [1, 16]) {
      const requests = (quick ? 50_000 : 200_000) * (pipeline > 1 ? 5 : 1);
      const samples = { ours: [] as Map<string, Sample>[], redis: [] as Map<string, Sample>[], floor: [] as Map<string, Sample>[] };
      for (let r = 0; r < rounds; r++) {
        // Alternate who goes first, so neither always runs on a warmer machine.
        const order = r % 2 === 0 ? (['redis', 'ours', 'floor'] as const) : (['floor', 'ours', 'redis'] as const);
        const ports = { ours: ours.port, redis: redis.port, floor: floor.port };
        for (const who of order) samples[who].push(redisBenchmark(ports[who], pipeline, requests));
      }
      for (const test of TESTS) {
        const pick = (list: Map<string, Sample>[], k: keyof Sample) => median(list.map((m) => m.get(test)?.[k] ?? NaN));
        const oursRps = pick(samples.ours, 'rps');
        const redisRps = pick(samples.redis, 'rps');
        rows.push({
          test: test.toUpperCase(),
          pipeline,
          oursRps,
          redisRps,
          ratio: oursRps / redisRps,
          floorRps: pick(samples.floor, 'rps'),
          oursP50: pick(samples.ours, 'p50'),
          oursP99: pick(samples.ours, 'p99'),
          redisP50: pick(samples.redis, 'p50'),
          redisP99: pick(samples.redis, 'p99'),
          rounds,
        });
      }
    }
  } finally {
    ours.child.kill('SIGTERM');
    floor.child.kill('SIGTERM');
    await redis.stop();
  }
  return rows;
}
