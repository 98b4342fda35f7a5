// Replication across processes: a replica restarted (SIGTERM saves its snapshot with its
// replication position; kill -9 saves nothing), moved to a new process and port, and this
// project following a real redis-server as its replica (the migration path).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { hasCli, startInstance, type InstanceProcess } from '../support/instance-process';
import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server';
import { dataset, info, waitSynced, writeMix } from '../support/replication';
import { startServer, type RunningServer } from '../support/server';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-repl-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function instance(args: string[], port?: number): Promise<InstanceProcess> {
  const p = await startInstance(args, port);
  cleanup.push(() => p.kill9());
  return p;
}

async function master(): Promise<{ s: RunningServer; c: Redis }> {
  const s = await startServer({ instanceId: 1 });
  const c = new Redis(s.port);
  cleanup.push(() => s.stop());
  cleanup.push(() => c.disconnect());
  return { s, c };
}

async function syncStats(c: Redis) {
  const st = await info(c, 'stats');
  return { full: Number(st.sync_full), ok: Number(st.sync_partial_ok) };
}

describe.skipIf(!hasCli)('replica restarts and moves (dist/cli.js processes)', () => {
  it('2. a replica restarted after SIGTERM continues with a partial sync; after kill -9 without a snapshot, a full one', async () => {
    const M = await master();
    await writeMix(M.c, 'a', 300);
    const dir = tempDir();
    let R = await instance(['--dir', dir, '--replica-of', `127.0.0.1:${M.s.port}`]);
    await waitSynced(R.client, M.c);
    await R.stop();
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    await writeMix(M.c, 'b', 100); // while it is down: the backlog holds it
    R = await instance(['--dir', dir, '--replica-of', `127.0.0.1:${M.s.port}`], R.port);
    await waitSynced(R.client, M.c);
    expect(await syncStats(M.c)).toEqual({ full: 1, ok: 1 });
    expect(await dataset(R.client)).toEqual(await dataset(M.c));

    await R.kill9();
    const R2 = await instance(['--replica-of', `127.0.0.1:${M.s.port}`]); // nothing persisted
    await writeMix(M.c, 'c', 50);
    await waitSynced(R2.client, M.c);
    expect(await syncStats(M.c)).toEqual({ full: 2, ok: 1 });
    expect(await dataset(R2.client)).toEqual(await dataset(M.c));
  });

  it('3. a replica moved to another process on another port continues with a partial sync', async () => {
    const M = await master();
    await writeMix(M.c, 'a', 300);
    const dir = tempDir();
    const R = await instance(['--dir', dir, '--replica-of', `127.0.0.1:${M.s.port}`]);
    await waitSynced(R.client, M.c);
    await R.stop();
    const newDir = tempDir();
    fs.copyFileSync(path.join(dir, 'dump.rdb'), path.join(newDir, 'dump.rdb'));
    await writeMix(M.c, 'b', 100);
    const moved = await instance(['--dir', newDir, '--replica-of', `127.0.0.1:${M.s.port}`]);
    expect(moved.port).not.toBe(R.port);
    await waitSynced(moved.client, M.c);
    expect(await syncStats(M.c)).toEqual({ full: 1, ok: 1 });
    expect(await dataset(moved.client)).toEqual(await dataset(M.c));
  });
});

describe.skipIf(!hasCli || !hasRedisServer)('following a real redis-server (migration)', () => {
  async function redis(args: string[]): Promise<{ r: RedisServer; c: Redis }> {
    const r = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', ...args] });
    const c = new Redis(r.port);
    cleanup.push(() => r.stop());
    cleanup.push(() => c.disconnect());
    return { r, c };
  }

  it('authenticates to a master that requires a password (masterauth, masteruser)', async () => {
    const src = await redis([]);
    await src.c.config('SET', 'requirepass', 'sekret');
    await src.c.auth('sekret');
    await writeMix(src.c, 'a', 50);
    const R = await master(); // an instance in this process, made a replica below
    await R.c.config('SET', 'masterauth', 'wrong');
    await R.c.replicaof('127.0.0.1', src.r.port);
    await new Promise((r) => setTimeout(r, 300));
    expect((await info(R.c, 'replication')).master_link_status).toBe('down');
    await R.c.config('SET', 'masteruser', 'default', 'masterauth', 'sekret');
    await waitSynced(R.c, src.c);
    expect(await dataset(R.c)).toEqual(await dataset(src.c));
  });

  for (const diskless of ['yes', 'no']) {
    it(`loads the RDB (repl-diskless-sync ${diskless}), applies the stream as local writes, and resumes partially after a restart`, async () => {
      const src = await redis(['--repl-diskless-sync', diskless]);
      await writeMix(src.c, 'a', 300);
      await src.c.multi().set('tx1', '1').incr('tx2').exec();
      const dir = tempDir();
      let R = await instance(['--dir', dir, '--replica-of', `127.0.0.1:${src.r.port}`]);
      await waitSynced(R.client, src.c);
      await writeMix(src.c, 'b', 100);
      await src.c.expire('a:hash', 1000);
      await waitSynced(R.client, src.c);
      expect(await dataset(R.client)).toEqual(await dataset(src.c));
      // Our own replica gets those writes as CRDT effects: they replicate onward.
      const onward = await instance(['--replica-of', `127.0.0.1:${R.port}`]);
      await waitSynced(onward.client, R.client);
      expect(await dataset(onward.client)).toEqual(await dataset(src.c));

      await R.stop();
      await writeMix(src.c, 'c', 50);
      R = await instance(['--dir', dir, '--replica-of', `127.0.0.1:${src.r.port}`], R.port);
      await waitSynced(R.client, src.c);
      const stats = await info(src.c, 'stats');
      expect(Number(stats.sync_full)).toBe(1);
      expect(Number(stats.sync_partial_ok)).toBe(1);
      expect(await dataset(R.client)).toEqual(await dataset(src.c));
    });
  }
});
