// Memory per key/element: ours (RSS growth of a fresh child process, see memory-child.ts)
// beside a real redis-server's INFO used_memory growth for the same data.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { RespClient, parseReply } from '../test/support/resp';
import { hasRedisServer, startRedisServer } from '../test/support/redis-server';
import { batch, datasets } from './commands';
import { root } from './env';

export interface MemoryRow {
  dataset: string;
  count: number;
  unit: string;
  /** bytes per key/element; undefined when not measured */
  oursRss?: number;
  oursHeapMB?: number;
  oursEstimate?: number;
  snapshot?: number;
  redisUsed?: number;
  redisRss?: number;
  /** oursRss / redisUsed */
  ratio?: number;
  note?: string;
}

interface ChildResult {
  rss: number;
  heap: number;
  estimate: number;
  keys: number;
  snapshotBytes: number;
  error?: string;
}

function ours(name: string, count: number): ChildResult {
  // Fixed-size young generation: otherwise V8 doubles it during the load and that shows as RSS.
  const flags = ['--min-semi-space-size=8', '--max-semi-space-size=8', '--import', 'tsx'];
  const out = execFileSync(process.execPath, [...flags, path.join(__dirname, 'memory-child.ts'), name, String(count)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

async function redisMemory(client: RespClient): Promise<{ used: number; rss: number }> {
  const info = String(parseReply((await client.send([['INFO', 'memory']]))[0]!));
  const field = (name: string) => Number(info.match(new RegExp(`^${name}:(\\d+)`, 'm'))![1]);
  return { used: field('used_memory'), rss: field('used_memory_rss') };
}

/** used_memory and RSS growth of a fresh redis-server loaded with the data set, pipelined. */
async function redis(name: string, count: number): Promise<{ used: number; rss: number }> {
  const server = await startRedisServer();
  try {
    const client = await RespClient.connect(server.port);
    const before = await redisMemory(client);
    const cmd = datasets[name]!.cmd;
    for (let i = 0; i < count; i += 10_000) {
      const replies = await client.send(batch(cmd, i, Math.min(count, i + 10_000)));
      const err = replies.find((r) => r[0] === 0x2d);
      if (err) throw new Error(`redis: ${err.toString().trim()}`);
    }
    const after = await redisMemory(client);
    await client.close();
    return { used: after.used - before.used, rss: after.rss - before.rss };
  } finally {
    await server.stop();
  }
}

export async function runMemory(opts: { quick: boolean }, log: (row: MemoryRow) => void = () => {}): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const [name, set] of Object.entries(datasets)) {
    const count = opts.quick ? Math.min(set.count, 100_000) : set.count;
    const row: MemoryRow = { dataset: name, count, unit: set.unit };
    const o = ours(name, count);
    if (o.error) row.note = `ours skipped: ${o.error}`;
    else {
      row.oursRss = o.rss / count;
      row.oursHeapMB = o.heap / 2 ** 20;
      row.oursEstimate = o.estimate / count;
      row.snapshot = o.snapshotBytes / count;
    }
    if (hasRedisServer) {
      const r = await redis(name, count);
      row.redisUsed = r.used / count;
      row.redisRss = r.rss / count;
      if (row.oursRss !== undefined) row.ratio = row.oursRss / row.redisUsed;
    } else row.note = (row.note ? row.note + '; ' : '') + 'no redis-server';
    rows.push(row);
    log(row);
  }
  return rows;
}
