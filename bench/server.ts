// redis-benchmark against this project's server and against a real redis-server, same
// machine, same run, interleaved round by round so that drift in the machine's speed hits
// both alike. Each server is its own process (ours: `node dist/cli.js start`), and
// redis-benchmark a third. Reports requests per second and p99 latency per test, and the
// ratio ours / redis (median of the rounds). A third server, floor-server.ts, answers
// "+OK" to everything without parsing: the most any server on Node's sockets can do.
// Each test runs as its own redis-benchmark, and the CPU time (from /proc) each server
// process used during it, per request, is reported beside: on this shared 2-core machine
// the requests per second of every side swing from run to run, the CPU per request much
// less. Ours runs as the `redis-active-active` command does (with malloc's huge pages).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort, hasRedisServer, startRedisServer } from '../test/support/redis-server';
import { RespClient } from '../test/support/resp';
import { cpuSeconds, median, root } from './env';

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
  /** Server process CPU time per request (user + system), µs. */
  oursCpuUs: number;
  redisCpuUs: number;
  rounds: number;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
}


/** One redis-benchmark test against `port`; `pid` is the server process, whose CPU is read. */
function redisBenchmark(port: number, pid: number | undefined, test: string, pipeline: number, requests: number): Sample {
  const args = ['-p', String(port), '-t', test, '-n', String(requests), '-c', '50', '-P', String(pipeline),
    '-r', '100000', '--csv'];
  const cpu0 = cpuSeconds(pid);
  const run = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: 600_000 });
  const cpuUs = ((cpuSeconds(pid) - cpu0) / requests) * 1e6;
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr || run.stdout}`);
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const cells = run.stdout.trim().split('\n')[1]!.split(',').map((c) => c.replace(/"/g, ''));
  return { rps: Number(cells[1]), p50: Number(cells[4]), p99: Number(cells[6]), cpuUs };
}

async function startNode(args: string[], env = process.env): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...args, String(port)], { stdio: ['ignore', 'ignore', 'inherit'], env });
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
  // The environment dist/cli.js's shebang sets (see lib/cli.ts).
  const ours = await startNode([path.join(root, 'dist/cli.js'), 'start', '--loglevel', 'warning', '--port'],
    { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
  const floor = await startNode(['--import', 'tsx', path.join(__dirname, 'floor-server.ts')]);
  const rows: ServerRow[] = [];
  try {
    const rounds = quick ? 1 : 3;
    const servers = {
      ours: { port: ours.port, pid: ours.child.pid },
      redis: { port: redis.port, pid: redis.process.pid },
      floor: { port: floor.port, pid: floor.child.pid },
    };
    // Untimed: JIT-compiled code, grown tables and warm caches on every side before measuring.
    for (const { port, pid } of Object.values(servers)) for (const test of TESTS) redisBenchmark(port, pid, test, 1, 3_000);
    for (const pipeline of [1, 16]) {
      const requests = (quick ? 50_000 : 200_000) * (pipeline > 1 ? 5 : 1);
      const samples = { ours: [] as Map<string, Sample>[], redis: [] as Map<string, Sample>[], floor: [] as Map<string, Sample>[] };
      for (let r = 0; r < rounds; r++) {
        // Alternate who goes first, so neither always runs on a warmer machine.
        const order = r % 2 === 0 ? (['redis', 'ours', 'floor'] as const) : (['floor', 'ours', 'redis'] as const);
        for (const who of order) {
          const { port, pid } = servers[who];
          samples[who].push(new Map(TESTS.map((test) => [test, redisBenchmark(port, pid, test, pipeline, requests)])));
        }
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
          oursCpuUs: pick(samples.ours, 'cpuUs'),
          redisCpuUs: pick(samples.redis, 'cpuUs'),
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
