// RDB codec throughput on a large mixed file written by a real redis-server, beside the
// time that redis-server takes to load the same file at start-up (from its own log) and
// to SAVE it again, same machine, same run.
//   parse: the native reader over the file in 1 MB chunks, counting only (what `rdb inspect` does)
//   parse + load: RdbLoader mode 'writes' into a fresh keyspace, effects drained every chunk;
//     in fresh processes (cold memory, as redis-server's start-up; with and without huge
//     pages and heap prefaulting), then in this process on memory it has had (the first
//     round is a warm-up)
//   write: the loaded keyspace written back as a plain RDB (toRdb), beside redis's SAVE
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Keyspace } from '../lib/index';
import { binding } from '../lib/native';
import { startRedisServer } from '../test/support/redis-server';
import { RespClient } from '../test/support/resp';
import { median, root, timeRounds } from './env';
import { generateBenchRdb } from './rdb-data';

export interface RdbRow {
  step: string;
  seconds: number;
  mbPerSec: number;
  keysPerSec: number;
  /** redis-server's seconds for the comparable step / ours: above 1 is faster than redis. */
  vsRedis?: number;
  rounds: number;
  spread: number;
}


function* chunks(file: string): Generator<Buffer> {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

async function redisSaveSeconds(file: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-bench-save-'));
  fs.copyFileSync(file, path.join(dir, 'dump.rdb'));
  const server = await startRedisServer({ args: ['--dir', dir, '--dbfilename', 'dump.rdb'], timeoutMs: 300_000 });
  const c = await RespClient.connect(server.port);
  try {
    const t0 = process.hrtime.bigint();
    await c.call(['SAVE']);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    await c.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRdbBench(quick: boolean, progress: (r: object) => void): Promise<{ rows: RdbRow[]; file: string; bytes: number; keys: number }> {
  const target = quick ? 50 << 20 : 1 << 30;
  const dir = process.env.RDB_BENCH_DIR ?? path.join(os.tmpdir(), 'raa-bench-rdb');
  const data = await generateBenchRdb(target, dir);
  const bytes = fs.statSync(data.file).size;
  const mb = bytes / 1e6;
  progress({ rdb: data.file, bytes, keys: data.keys, redisLoadSeconds: data.redisLoadSeconds });
  const rows: RdbRow[] = [];
  const row = (step: string, t: { seconds: number; spread: number }, rounds: number, redisSeconds?: number) => {
    const r: RdbRow = {
      step, seconds: t.seconds, mbPerSec: mb / t.seconds, keysPerSec: data.keys / t.seconds,
      vsRedis: redisSeconds === undefined ? undefined : redisSeconds / t.seconds, rounds, spread: t.spread,
    };
    rows.push(r);
    progress(r);
  };
  rows.push({ step: 'redis-server: load at start-up', seconds: data.redisLoadSeconds, mbPerSec: mb / data.redisLoadSeconds, keysPerSec: data.keys / data.redisLoadSeconds, rounds: 1, spread: 0 });

  let keysRead = 0;
  row('parse (native reader, counting)', timeRounds(3, () => {
    const reader = new binding.RdbReader({ records: false });
    for (const c of chunks(data.file)) reader.feed(c);
    reader.finish();
    keysRead = reader.summary().keys;
  }), 3, data.redisLoadSeconds);
  if (keysRead !== data.keys) throw new Error(`the reader counted ${keysRead} keys, redis ${data.keys}`);

  // A load at start-up runs on memory the process never had and pays every page fault, so
  // it is timed in fresh processes: with malloc's default settings; with huge pages
  // (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which the `redis-active-active` shebang sets) but
  // without the loader's heap prefaulting; and as `redis-active-active start` runs, with
  // both. The last is the start-up load, timed in three processes (median). Later rounds
  // here reuse freed memory.
  const hugePages = { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' };
  for (const [label, env, prefault, rounds] of [
    ['default malloc (prefaulting)', { ...process.env, GLIBC_TUNABLES: '' }, true, 1],
    ['huge pages, no prefaulting', hugePages, false, 1],
    ['as `start` runs (huge pages, prefaulting)', hugePages, true, quick ? 1 : 3],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const args = ['--import', 'tsx', path.join(__dirname, 'rdb-load-child.ts'), data.file, prefault ? 'prefault' : 'no-prefault'];
      const out = execFileSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 20 });
      const child = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; keys: number; rssMB: number; hugeMB: number };
      if (child.keys !== data.keys) throw new Error(`loaded ${child.keys} keys of ${data.keys}`);
      progress({ freshProcess: label, ...child });
      times.push(child.seconds);
    }
    const spread = (Math.max(...times) - Math.min(...times)) / median(times);
    row(`parse + load, fresh process, ${label}`, { seconds: median(times), spread }, rounds, data.redisLoadSeconds);
  }
  let loaded: Keyspace | undefined;
  const loadTimes: number[] = [];
  const loadRounds = quick ? 4 : 3;
  for (let i = 0; i < loadRounds; i++) {
    loaded?.close();
    loadTimes.push(timeRounds(1, () => {
      const ks = new Keyspace({ instanceId: 1 });
      const loader = ks.rdbLoader({ mode: 'writes', nowMs: 0 });
      for (const c of chunks(data.file)) {
        loader.feed(c);
        ks.drainEffects();
      }
      loader.finish();
      const report = loader.report();
      if (report.keys !== data.keys) throw new Error(`loaded ${report.keys} keys of ${data.keys}`);
      loaded = ks;
    }).seconds);
  }
  const warm = loadTimes.slice(1);
  row('parse + load in process, later rounds (warm)', { seconds: median(warm), spread: (Math.max(...warm) - Math.min(...warm)) / median(warm) }, warm.length, data.redisLoadSeconds);

  const saveSeconds = await redisSaveSeconds(data.file);
  rows.push({ step: 'redis-server: SAVE', seconds: saveSeconds, mbPerSec: mb / saveSeconds, keysPerSec: data.keys / saveSeconds, rounds: 1, spread: 0 });
  let written = 0;
  row('write plain RDB (toRdb)', timeRounds(3, () => {
    written = loaded!.toRdb().length;
  }), 3, saveSeconds);
  progress({ writtenBytes: written });
  loaded?.close();
  return { rows, file: data.file, bytes, keys: data.keys };
}
