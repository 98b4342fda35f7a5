// The replication commands' errors, a replica that stops reading, a hostile master, and
// redis-cli --rdb: a snapshot of plain Redis types that real Redis tools accept.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';
import { hasRedisServer, startRedisServer } from '../support/redis-server';
import { dataset, info, sleep, waitFor, writeMix } from '../support/replication';
import { startServer, type RunningServer } from '../support/server';

const run = promisify(execFile);
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function node(options: Parameters<typeof startServer>[0] = {}): Promise<{ s: RunningServer; c: Redis }> {
  const s = await startServer({ instanceId: 1, ...options });
  const c = new Redis(s.port);
  cleanup.push(() => s.stop());
  cleanup.push(() => c.disconnect());
  return { s, c };
}

describe('replication commands', () => {
  it('answers malformed PSYNC, REPLCONF, REPLICAOF, WAIT and FAILOVER with errors', async () => {
    const { c } = await node();
    const err = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message);
    expect(await err(c.call('PSYNC', 'abc'))).toBe("ERR wrong number of arguments for 'psync' command");
    expect(await err(c.call('PSYNC', '?', 'x'))).toBe('ERR value is not an integer or out of range');
    expect(await err(c.call('PSYNC', '?', '-1', 'BOGUS'))).toBe('ERR syntax error');
    expect(await err(c.call('PSYNC', '?', '-1'))).toMatch(/^ERR this master streams CRDT effects/);
    expect(await err(c.call('REPLCONF', 'listening-port'))).toBe('ERR syntax error');
    expect(await err(c.call('REPLCONF', 'listening-port', 'abc'))).toBe('ERR value is not an integer or out of range');
    expect(await err(c.call('REPLCONF', 'bogus', '1'))).toBe('ERR Unrecognized REPLCONF option: bogus');
    expect(await err(c.call('REPLCONF', 'ip-address', 'x'.repeat(47)))).toMatch(/too long: 47 bytes/);
    expect(await c.call('REPLCONF', 'listening-port', '1234', 'capa', 'eof')).toBe('OK');
    expect(await err(c.call('REPLICAOF', '127.0.0.1', '70000'))).toBe('ERR Invalid master port');
    expect(await err(c.call('WAIT', 'x', '0'))).toBe('ERR value is not an integer or out of range');
    expect(await err(c.call('WAIT', '1', '-1'))).toBe('ERR timeout is negative');
    expect(await c.call('WAIT', '0', '0')).toBe(0);
    expect(await c.call('WAIT', '1', '50')).toBe(0);
    expect(await err(c.call('FAILOVER'))).toBe('ERR FAILOVER requires connected replicas.');
    expect(await err(c.call('FAILOVER', 'FORCE'))).toBe('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    expect(await err(c.call('FAILOVER', 'TIMEOUT', '0'))).toBe('ERR FAILOVER timeout must be greater than 0');
    expect(await err(c.call('FAILOVER', 'ABORT'))).toBe('ERR No failover in progress.');
    expect(await c.call('PING')).toBe('PONG'); // the connection survived all of it
  });

  it('cuts off a replica that stops reading at the replica output limit', async () => {
    const M = await node();
    await M.c.config('SET', 'client-output-buffer-limit', 'replica 1mb 0 0');
    const sock = net.connect(M.s.port, '127.0.0.1');
    cleanup.push(() => void sock.destroy());
    await new Promise((r) => sock.once('connect', r));
    sock.write('REPLCONF capa crdt\r\nPSYNC ? -1\r\n');
    await waitFor('the replica to attach', async () => (await info(M.c, 'replication')).connected_slaves === '1');
    sock.pause(); // reads nothing more
    const value = 'x'.repeat(10_000);
    for (let i = 0; i < 20 && (await info(M.c, 'replication')).connected_slaves === '1'; i++) {
      const p = M.c.pipeline();
      for (let j = 0; j < 100; j++) p.set(`k${i}:${j}`, value);
      await p.exec();
      await sleep(20);
    }
    expect((await info(M.c, 'replication')).connected_slaves).toBe('0');
    expect(await M.c.dbsize()).toBeGreaterThan(0);
  });

  it('a master that sends a damaged RDB is dropped; the replica keeps its data and retries', async () => {
    const R = await node({ instanceId: 2 });
    await R.c.set('mine', 'kept');
    // A CRDT snapshot such as one of our masters sends, with one byte of a value flipped.
    const source = new Keyspace({ instanceId: 1 });
    for (let i = 0; i < 100; i++) source.exec(['SET', `k${i}`, `value ${i}`]);
    const damaged = source.toRdb({ form: 'crdt' });
    damaged[damaged.indexOf('value 50') + 3] ^= 0xff;
    const payloads = [Buffer.from('$12\r\nREDIS0010xyz'), Buffer.concat([Buffer.from(`$${damaged.length}\r\n`), damaged]), Buffer.from('$4\r\nJUNK')];
    let connections = 0;
    const fake = net.createServer((sock) => {
      connections++;
      sock.on('data', (d: Buffer) => {
        const text = d.toString();
        if (text.includes('PSYNC')) {
          sock.write(`+FULLRESYNC ${'a'.repeat(40)} 0\r\n`);
          sock.write(payloads[Math.min(connections, 3) - 1]!);
        } else {
          sock.write('+OK\r\n'.repeat((text.match(/\r\n\*/g)?.length ?? 0) + 1));
        }
      });
      sock.on('error', () => {});
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => fake.close(() => r())));
    await R.c.replicaof('127.0.0.1', (fake.address() as net.AddressInfo).port);
    await waitFor('three attempts', () => connections >= 3, 10_000);
    cleanup.push(() => R.c.replicaof('NO', 'ONE').then(() => undefined));
    expect(await R.c.get('mine')).toBe('kept');
    expect((await info(R.c, 'replication')).master_link_status).toBe('down');
  });
});

describe('the effects of a master\'s writes', () => {
  it('are not encoded before its first replica; from its full sync on, every write reaches the replica', async () => {
    const M = await node();
    for (let i = 0; i < 50; i++) await M.c.set(`before${i}`, String(i));
    // In one turn of the event loop, so that the server's own drain cannot have run between.
    M.s.server.keyspace.exec(['SET', 'probe', '1']);
    expect(M.s.server.keyspace.drainEffects().length).toBe(0); // nobody takes them yet
    const R = await node({ instanceId: 2 });
    await R.c.replicaof('127.0.0.1', M.s.port);
    cleanup.push(() => R.c.replicaof('NO', 'ONE').then(() => undefined));
    await waitFor('the full sync', async () => (await R.c.get('before49')) === '49');
    for (let i = 0; i < 50; i++) await M.c.set(`after${i}`, String(i));
    await waitFor('the streamed writes', async () => (await R.c.get('after49')) === '49');
    expect(await R.c.dbsize()).toBe(101);
  });
});

describe('a master that sends its RDB in small pieces', () => {
  it('finds the diskless EOF mark split across reads, then applies the stream', async () => {
    const source = new Keyspace({ instanceId: 7 });
    for (let i = 0; i < 200; i++) source.exec(['SET', `k${i}`, `value ${i}`]);
    const rdb = source.toRdb({ form: 'crdt' });
    source.exec(['SET', 'streamed', 'yes']);
    const batch = source.drainEffects();
    const mark = 'm'.repeat(20) + 'M'.repeat(20);
    const fake = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.on('data', async (d: Buffer) => {
        const text = d.toString();
        if (!text.includes('PSYNC')) return void sock.write('+OK\r\n'.repeat((text.match(/\r\n\*/g)?.length ?? 0) + 1));
        const body = Buffer.concat([Buffer.from(`+FULLRESYNC ${'b'.repeat(40)} 0\r\n\n\n$EOF:${mark}\r\n`), rdb, Buffer.from(mark)]);
        for (let at = 0; at < body.length; at += 7) {
          sock.write(body.subarray(at, at + 7));
          if (at % 700 === 0) await sleep(1);
        }
        const command = Buffer.concat([Buffer.from(`*2\r\n$12\r\nCRDT.EFFECTS\r\n$${batch.length}\r\n`), batch, Buffer.from('\r\n')]);
        sock.write(command);
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => fake.close(() => r())));
    const R = await node({ instanceId: 2 });
    await R.c.replicaof('127.0.0.1', (fake.address() as net.AddressInfo).port);
    cleanup.push(() => R.c.replicaof('NO', 'ONE').then(() => undefined));
    await waitFor('the streamed write', async () => (await R.c.get('streamed')) === 'yes');
    expect(await R.c.dbsize()).toBe(201);
    expect(await R.c.get('k199')).toBe('value 199');
    expect((await info(R.c, 'crdt')).instance_id).toBe('7'); // a replica shard is its master's instance
  });
});

describe.skipIf(!hasRedisServer)('redis-cli --rdb against this master', () => {
  it('writes a file of plain Redis types that redis-check-rdb accepts and redis-server loads with the same data', async () => {
    const M = await node();
    await writeMix(M.c, 'x', 300);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-cli-rdb-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'snap.rdb');
    await run('redis-cli', ['-p', String(M.s.port), '--rdb', file]);
    const check = await run('redis-check-rdb', [file]);
    expect(check.stdout).toMatch(/RDB looks OK/);
    expect(fs.readFileSync(file).includes('raa-crdts')).toBe(false); // no module values
    const redis = await startRedisServer({ args: ['--dir', dir, '--dbfilename', 'snap.rdb'] });
    cleanup.push(() => redis.stop());
    const rc = new Redis(redis.port);
    cleanup.push(() => rc.disconnect());
    expect(await dataset(rc)).toEqual(await dataset(M.c));
    expect((await info(M.c, 'replication')).connected_slaves).toBe('0'); // rdb-only: not a replica
  });
});
