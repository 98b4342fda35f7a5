// CLIENT PAUSE / UNPAUSE, and FAILOVER's pause of writes: a held client gets its reply when
// the pause ends, and its later requests wait behind it; reads go on under a WRITE pause.
import net from 'node:net';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { info, sleep, waitFor } from '../support/replication';
import { startServer, type RunningServer } from '../support/server';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function node(): Promise<{ s: RunningServer; admin: Redis; c: Redis }> {
  const s = await startServer({ instanceId: 1 });
  const admin = new Redis(s.port);
  const c = new Redis(s.port);
  cleanup.push(() => s.stop());
  cleanup.push(() => void admin.disconnect());
  cleanup.push(() => void c.disconnect());
  return { s, admin, c };
}

/** The reply, or 'pending' if none came within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, sleep(ms).then(() => 'pending' as const)]);
}

describe('CLIENT PAUSE', () => {
  it('WRITE holds writes (and what follows them) until it ends; reads go on', async () => {
    const { admin, c } = await node();
    await c.set('k', 'before');
    expect(await admin.client('PAUSE', '300', 'WRITE')).toBe('OK');
    expect(await c.get('k')).toBe('before');
    const started = Date.now();
    const write = c.set('k', 'after');
    const read = c.get('k'); // pipelined behind the held write
    expect(await within(write, 100)).toBe('pending');
    expect(await write).toBe('OK');
    expect(await read).toBe('after');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('ALL holds every command of normal clients until the pause ends or is lifted', async () => {
    const { s, admin, c } = await node();
    await admin.client('PAUSE', '10000');
    const read = c.get('k');
    const ping = admin.ping();
    expect(await within(read, 150)).toBe('pending');
    expect(await within(ping, 10)).toBe('pending');
    s.server.pause.unpause(); // CLIENT UNPAUSE would wait too: the embedded server lifts it
    expect(await read).toBe(null);
    expect(await ping).toBe('PONG');
  });

  it('refuses a bad timeout or mode', async () => {
    const { admin } = await node();
    await expect(admin.client('PAUSE', 'x')).rejects.toThrow('ERR timeout is not an integer or out of range');
    await expect(admin.client('PAUSE', '-1')).rejects.toThrow('ERR timeout is negative');
    await expect(admin.client('PAUSE', '10', 'READ')).rejects.toThrow('ERR syntax error');
    expect(await admin.client('UNPAUSE')).toBe('OK');
  });
});

describe("FAILOVER's pause", () => {
  it('holds writes while it waits for the replica; aborted at its timeout, they run here', async () => {
    const { s, admin, c } = await node();
    // A replica that never acknowledges anything.
    const silent = net.connect(s.port, '127.0.0.1');
    cleanup.push(() => void silent.destroy());
    await new Promise((r) => silent.once('connect', r));
    silent.write('REPLCONF listening-port 1 capa crdt\r\nPSYNC ? -1\r\n');
    silent.on('data', () => {});
    await waitFor('the replica to attach', async () => (await info(admin, 'replication')).slave0?.includes('state=online') === true);
    await c.set('k', 'before'); // the replica has not acknowledged this
    expect(await admin.call('FAILOVER', 'TIMEOUT', '400')).toBe('OK');
    expect((await info(admin, 'replication')).master_failover_state).toBe('waiting-for-sync');
    expect(await c.get('k')).toBe('before');
    const write = c.set('k', 'during');
    expect(await within(write, 150)).toBe('pending');
    expect(await write).toBe('OK'); // the failover timed out: the master takes it
    expect((await info(admin, 'replication')).master_failover_state).toBe('no-failover');
    expect(await c.get('k')).toBe('during');
  });
});
