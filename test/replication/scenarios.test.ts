// The replication scenarios of issue 5, with servers in this process on real sockets: a
// master M (instance 1), its replica R, and a reader Q that tracks M's stream (another
// replica). Each test reads from INFO which kind of sync happened, and compares the data.
import net from 'node:net';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { dataset, info, sleep, waitFor, waitSynced, writeMix } from '../support/replication';
import { startServer, type RunningServer } from '../support/server';
import { TcpProxy } from '../support/tcp-proxy';

const running: RunningServer[] = [];
const clients: Redis[] = [];
const proxies: TcpProxy[] = [];
const cleanup: (() => void)[] = [];

afterEach(async () => {
  for (const f of cleanup.splice(0)) f();
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of proxies.splice(0)) await p.close();
  for (const s of running.splice(0)) await s.stop();
});

async function node(options: Parameters<typeof startServer>[0] = {}): Promise<{ s: RunningServer; c: Redis }> {
  const s = await startServer({ instanceId: 1, ...options });
  running.push(s);
  const c = new Redis(s.port, { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(c);
  return { s, c };
}

async function syncStats(c: Redis): Promise<{ full: number; ok: number; err: number }> {
  const st = await info(c, 'stats');
  return { full: Number(st.sync_full), ok: Number(st.sync_partial_ok), err: Number(st.sync_partial_err) };
}

async function replicate(replica: { c: Redis }, master: { s: RunningServer; c: Redis }): Promise<void> {
  await replica.c.replicaof('127.0.0.1', master.s.port);
  await waitSynced(replica.c, master.c);
}

async function failoverTo(master: { c: Redis }, target: { s: RunningServer; c: Redis }): Promise<void> {
  expect(await master.c.call('FAILOVER', 'TO', '127.0.0.1', String(target.s.port), 'TIMEOUT', '5000')).toBe('OK');
  await waitFor('the target to become master', async () => (await info(target.c, 'replication')).role === 'master');
  await waitFor('the old master to follow it', async () => {
    const r = await info(master.c, 'replication');
    return r.role === 'slave' && r.master_link_status === 'up' && r.master_failover_state === 'no-failover';
  });
}

describe('shard replication scenarios', () => {
  it('a replica takes a full sync, then the stream; it is read-only and serves reads', async () => {
    const M = await node();
    const R = await node();
    await writeMix(M.c, 'before', 200);
    await replicate(R, M);
    await writeMix(M.c, 'after', 200);
    await waitSynced(R.c, M.c);
    expect(await dataset(R.c)).toEqual(await dataset(M.c));
    expect(R.s.server.keyspace.digest()).toBe(M.s.server.keyspace.digest());
    await expect(R.c.set('x', '1')).rejects.toThrow("READONLY You can't write against a read only replica.");
    await expect(R.c.multi().set('x', '1').exec()).rejects.toThrow(/EXECABORT/);
    expect(await R.c.get('before:s:199')).toBe('v199');
    const stats = await syncStats(M.c);
    expect(stats).toEqual({ full: 1, ok: 0, err: 0 });
    expect(await R.c.role()).toEqual(['slave', '127.0.0.1', M.s.port, 'connected', expect.any(Number)]);
    const role = (await M.c.role()) as [string, number, string[][]];
    expect(role[0]).toBe('master');
    expect(role[2]).toEqual([['127.0.0.1', String(R.s.port), expect.any(String)]]);
    // WAIT counts the replicas that acknowledged every write so far.
    await M.c.set('waited', '1');
    expect(await M.c.wait(1, 5000)).toBe(1);
    expect(await M.c.wait(2, 200)).toBe(1);
  });

  it('writes larger than the backlog reach the replica whole', async () => {
    const M = await node({ replBacklogSize: 64 * 1024 });
    const R = await node();
    await replicate(R, M);
    const big = 'x'.repeat(300_000);
    await M.c.set('big', big);
    await M.c.rpush('many', ...Array.from({ length: 5000 }, (_, i) => `item-${i}`));
    await waitSynced(R.c, M.c);
    expect(await R.c.get('big')).toBe(big);
    expect(await dataset(R.c)).toEqual(await dataset(M.c));
  });

  // R passes on what it reads from M, and its reads land in a buffer the next read reuses:
  // whatever R queues for Q must be its own copy. A 16 KB backlog on R makes every write of
  // 8 KB or more a burst R writes to Q at once; a stalled link from R to Q makes R queue them.
  it('a replica of a replica gets the stream whole while its link backs up', async () => {
    const M = await node();
    const R = await node({ replBacklogSize: 16 * 1024 });
    const Q = await node();
    const link = await TcpProxy.start(R.s.port);
    proxies.push(link);
    await replicate(R, M);
    await Q.c.replicaof('127.0.0.1', link.port);
    await waitSynced(Q.c, R.c);
    link.stall();
    const values = Array.from({ length: 600 }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(8000 + ((i * 7919) % 24_000)));
    const pipeline = M.c.pipeline();
    values.forEach((v, i) => pipeline.set(`v:${i}`, v));
    await pipeline.exec();
    await writeMix(M.c, 'chain', 200);
    await waitSynced(R.c, M.c);
    link.resume();
    await waitSynced(Q.c, R.c);
    expect(Q.s.server.keyspace.digest()).toBe(M.s.server.keyspace.digest());
    expect(await Q.c.get('v:599')).toBe(values[599]);
    expect((await syncStats(R.c)).full).toBe(1);
  });

  it('1. failover of M to R: the reader continues from R with a partial sync', async () => {
    const M = await node();
    const R = await node();
    const Q = await node();
    await writeMix(M.c, 'a', 300);
    await replicate(R, M);
    await replicate(Q, M);
    await writeMix(M.c, 'b', 100);
    await waitSynced(Q.c, M.c);
    const mReplid = (await info(M.c, 'replication')).master_replid;
    await failoverTo(M, R);
    const r = await info(R.c, 'replication');
    expect(r.master_replid2).toBe(mReplid);
    const before = await syncStats(R.c);
    await Q.c.replicaof('127.0.0.1', R.s.port);
    await writeMix(R.c, 'c', 100);
    await waitSynced(Q.c, R.c);
    await waitSynced(M.c, R.c);
    const after = await syncStats(R.c);
    expect(after.full).toBe(before.full);
    expect(after.ok).toBeGreaterThan(before.ok);
    expect(await dataset(Q.c)).toEqual(await dataset(R.c));
    expect(await dataset(M.c)).toEqual(await dataset(R.c));
  });

  it('FAILOVER FORCE goes on past its timeout; FAILOVER ABORT ends a failover that waits', async () => {
    const M = await node();
    const R = await node();
    await writeMix(M.c, 'a', 100);
    await replicate(R, M);
    // ABORT while it waits: the target is a replica that never acknowledges anything.
    const silent = net.connect(M.s.port, '127.0.0.1');
    cleanup.push(() => void silent.destroy());
    silent.on('data', () => {});
    silent.write('REPLCONF listening-port 1 capa crdt\r\nPSYNC ? -1\r\n');
    await waitFor('the silent replica', async () => (await info(M.c, 'replication')).connected_slaves === '2');
    await M.c.set('unacked', '1');
    expect(await M.c.call('FAILOVER', 'TO', '127.0.0.1', '1', 'TIMEOUT', '60000')).toBe('OK');
    expect((await info(M.c, 'replication')).master_failover_state).toBe('waiting-for-sync');
    expect(await M.c.call('FAILOVER', 'ABORT')).toBe('OK');
    expect((await info(M.c, 'replication')).master_failover_state).toBe('no-failover');
    expect(await M.c.set('after-abort', '1')).toBe('OK'); // writes were let go
    // FORCE: after a 1 ms timeout, hand over to R whether or not it has acknowledged.
    expect(await M.c.call('FAILOVER', 'TO', '127.0.0.1', String(R.s.port), 'FORCE', 'TIMEOUT', '1')).toBe('OK');
    await waitFor('R to become master', async () => (await info(R.c, 'replication')).role === 'master');
    await waitSynced(M.c, R.c);
    expect(await dataset(M.c)).toEqual(await dataset(R.c));
    expect(await R.c.get('after-abort')).toBe('1');
  });

  it('a gap the backlog holds is a partial sync; a larger one falls back to a full sync, and both end identical', async () => {
    const M = await node({ replBacklogSize: 64 * 1024 });
    const R = await node();
    const proxy = await TcpProxy.start(M.s.port);
    proxies.push(proxy);
    await writeMix(M.c, 'a', 100);
    await R.c.replicaof('127.0.0.1', proxy.port);
    await waitSynced(R.c, M.c);

    proxy.cut();
    await writeMix(M.c, 'small', 20); // well inside 64 KB
    await sleep(100);
    proxy.restore();
    await waitSynced(R.c, M.c);
    expect(await syncStats(M.c)).toEqual({ full: 1, ok: 1, err: 0 });
    expect(await dataset(R.c)).toEqual(await dataset(M.c));

    proxy.cut();
    await writeMix(M.c, 'large', 3000); // far more than 64 KB of stream
    const backlog = await info(M.c, 'replication');
    expect(Number(backlog.master_repl_offset) - Number((await info(R.c, 'replication')).slave_repl_offset)).toBeGreaterThan(64 * 1024);
    proxy.restore();
    await waitSynced(R.c, M.c);
    expect(await syncStats(M.c)).toEqual({ full: 2, ok: 1, err: 1 });
    expect(await dataset(R.c)).toEqual(await dataset(M.c));
    expect(R.s.server.keyspace.digest()).toBe(M.s.server.keyspace.digest());
  });

  it('a replica connection cut in the middle of the RDB retries, keeps serving its old data meanwhile, and ends consistent', async () => {
    const M = await node({ replBacklogSize: 64 * 1024 });
    const R = await node();
    const proxy = await TcpProxy.start(M.s.port);
    proxies.push(proxy);
    await M.c.set('old', 'data');
    await R.c.replicaof('127.0.0.1', proxy.port);
    await waitSynced(R.c, M.c);
    proxy.cut();
    await writeMix(M.c, 'big', 4000); // past the backlog: the next sync is a full one
    await M.c.del('old');
    proxy.restore();
    proxy.cutAfter(20_000); // the RDB is larger: its first transfer breaks
    await waitFor('the first transfer to break', async () => (await syncStats(M.c)).full >= 2);
    expect(await R.c.get('old')).toBe('data');
    await waitSynced(R.c, M.c);
    expect((await syncStats(M.c)).full).toBeGreaterThanOrEqual(3);
    expect(await R.c.get('old')).toBe(null);
    expect(await dataset(R.c)).toEqual(await dataset(M.c));
  });

  // M, its replica R and reader Q; a new node N joins as a replica of M (its own full sync);
  // M fails over to R; N and Q move to R; the old node is retired. Returns R's sync stats
  // from just before the moves.
  async function failoverAndMigrate() {
    const M = await node();
    const R = await node();
    const Q = await node();
    await writeMix(M.c, 'a', 200);
    await replicate(R, M);
    await replicate(Q, M);
    const N = await node();
    await replicate(N, M);
    await failoverTo(M, R);
    const before = await syncStats(R.c);
    await N.c.replicaof('127.0.0.1', R.s.port);
    await Q.c.replicaof('127.0.0.1', R.s.port);
    await writeMix(R.c, 'b', 100);
    await waitSynced(N.c, R.c);
    await waitSynced(Q.c, R.c);
    M.c.disconnect();
    await M.s.stop();
    return { R, Q, N, before };
  }

  it('4. M migrates to a new node as a replica (failover and replica migration): no full sync for the reader', async () => {
    const { R, Q, N, before } = await failoverAndMigrate();
    const after = await syncStats(R.c);
    expect(after.full).toBe(before.full);
    expect(after.ok).toBeGreaterThanOrEqual(before.ok + 2);
    expect(await dataset(Q.c)).toEqual(await dataset(R.c));
    expect(await dataset(N.c)).toEqual(await dataset(R.c));
  });

  it('5. M migrates and roles are preserved (failover, replica migration, second failover): no full sync for the reader', async () => {
    const { R, Q, N } = await failoverAndMigrate();
    // The master role moves to the new node; R is a replica again, as it was.
    await failoverTo(R, N);
    const before = await syncStats(N.c);
    await Q.c.replicaof('127.0.0.1', N.s.port);
    await writeMix(N.c, 'c', 100);
    await waitSynced(Q.c, N.c);
    await waitSynced(R.c, N.c);
    const after = await syncStats(N.c);
    expect(after.full).toBe(before.full);
    expect(after.ok).toBeGreaterThan(before.ok);
    expect((await info(N.c, 'replication')).role).toBe('master');
    expect((await info(R.c, 'replication')).role).toBe('slave');
    expect(await dataset(Q.c)).toEqual(await dataset(N.c));
    expect(await dataset(R.c)).toEqual(await dataset(N.c));
  });
});
