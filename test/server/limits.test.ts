// Limits of the Redis endpoint over real sockets: maxclients, idle timeout, the client
// output buffer limit (and back-pressure) and the query buffer limit.
import { afterEach, describe, expect, it } from 'vitest';

import { startServer, type RunningServer } from '../support/server';
import { RawConn, parseInfo } from '../support/server-raw';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running: RunningServer[] = [];
const conns: RawConn[] = [];

async function server(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const s = await startServer(options);
  running.push(s);
  return s;
}

async function connect(port: number): Promise<RawConn> {
  const c = await RawConn.connect(port);
  conns.push(c);
  return c;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

afterEach(async () => {
  for (const c of conns.splice(0)) c.close();
  for (const s of running.splice(0)) await s.stop();
});

describe('maxclients', () => {
  it('the connection past maxclients is refused with an error and closed', async () => {
    const s = await server({ maxclients: 3 });
    const ok = await Promise.all([connect(s.port), connect(s.port), connect(s.port)]);
    for (const c of ok) expect(await c.callText('PING')).toBe('+PONG\r\n');

    const fourth = await connect(s.port);
    expect(await fourth.readText()).toBe('-ERR max number of clients reached\r\n');
    expect(await fourth.waitClosed()).toBe(true);
    expect(s.server.clients.size).toBe(3);

    // The three are unaffected, and a slot freed is a slot available.
    for (const c of ok) expect(await c.callText('ECHO', 'still')).toBe('$5\r\nstill\r\n');
    ok[0]!.close();
    expect(await until(() => s.server.clients.size === 2, 2000)).toBe(true);
    const again = await connect(s.port);
    expect(await again.callText('PING')).toBe('+PONG\r\n');

    const stats = parseInfo(String(await again.call('INFO', 'stats'))).get('stats')!;
    expect(stats.get('rejected_connections')).toBe('1');
  });

  it('CONFIG SET maxclients takes effect for new connections', async () => {
    const s = await server({});
    const a = await connect(s.port);
    await connect(s.port);
    expect(await a.callText('CONFIG', 'SET', 'maxclients', '2')).toBe('+OK\r\n');
    const third = await connect(s.port);
    expect(await third.readText()).toBe('-ERR max number of clients reached\r\n');
    expect(await third.waitClosed()).toBe(true);
  });
});

describe('idle timeout', () => {
  it('closes an idle client after `timeout` seconds, not an active one', async () => {
    const s = await server({ timeout: 1 });
    const idle = await connect(s.port);
    const active = await connect(s.port);
    expect(await idle.callText('PING')).toBe('+PONG\r\n');
    const lastActivity = Date.now();

    let closedAt = 0;
    void idle.closedPromise.then(() => (closedAt = Date.now()));
    const stopAt = Date.now() + 2600;
    while (Date.now() < stopAt) {
      expect(await active.callText('PING')).toBe('+PONG\r\n');
      await sleep(250);
    }
    expect(await idle.waitClosed(1000)).toBe(true);
    const idleFor = closedAt - lastActivity;
    expect(idleFor).toBeGreaterThanOrEqual(950);
    expect(idleFor).toBeLessThan(3000);
    expect(active.closed).toBe(false);
    expect(await active.callText('PING')).toBe('+PONG\r\n');
  });

  it('timeout 0 never closes; CONFIG SET timeout applies to connected clients', async () => {
    const s = await server({});
    const c = await connect(s.port);
    const admin = await connect(s.port);
    await sleep(1100);
    expect(c.closed).toBe(false);
    expect(await admin.callText('CONFIG', 'SET', 'timeout', '1')).toBe('+OK\r\n');
    expect(await c.waitClosed(3000)).toBe(true);
  });
});

describe('client output buffer limit', () => {
  const MB = 1024 * 1024;

  it('a client that pipelines GETs of 1 MB and never reads is disconnected; others keep working', async () => {
    const s = await server({ outputLimit: { hard: 4 * MB, soft: 0, softSeconds: 0 } });
    const writer = await connect(s.port);
    expect(await writer.callText('SET', 'big', Buffer.alloc(MB, 'x'))).toBe('+OK\r\n');
    s.server.keyspace.drainEffects();

    const greedy = await connect(s.port);
    greedy.socket.pause(); // never reads
    const id = Math.max(...s.server.clients.keys());
    const gets: string[][] = [];
    for (let i = 0; i < 300; i++) gets.push(['GET', 'big']); // 300 MB of replies asked for, keyspace commands only
    const rssBefore = process.memoryUsage().rss;
    greedy.send(...gets);
    expect(await until(() => !s.server.clients.has(id), 5000)).toBe(true);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MB);

    const other = await connect(s.port);
    other.send(['GET', 'big']);
    const reply = await other.readRaw(5000);
    expect(reply.length).toBe(MB + `$${MB}\r\n\r\n`.length);
    expect(await writer.callText('PING')).toBe('+PONG\r\n');
    expect(s.server.clients.size).toBe(2);
  });

  it('the soft limit disconnects a client over it for longer than its seconds', async () => {
    const s = await server({ outputLimit: { hard: 0, soft: 2 * MB, softSeconds: 1 } });
    const writer = await connect(s.port);
    expect(await writer.callText('SET', 'big', Buffer.alloc(MB, 'y'))).toBe('+OK\r\n');
    const slow = await connect(s.port);
    slow.socket.pause();
    const id = Math.max(...s.server.clients.keys());
    const t0 = Date.now();
    const gets: string[][] = [];
    for (let i = 0; i < 20; i++) gets.push(['GET', 'big']);
    slow.send(...gets);
    expect(await until(() => !s.server.clients.has(id), 5000)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(await writer.callText('PING')).toBe('+PONG\r\n');
  });

  it('a slow reader within the limits gets back-pressure, then every reply in order', async () => {
    const s = await server({});
    const w = await connect(s.port);
    expect(await w.callText('SET', 'big', Buffer.alloc(MB, 'z'))).toBe('+OK\r\n');
    const slow = await connect(s.port);
    slow.socket.pause();
    const cmds: string[][] = [];
    for (let i = 0; i < 40; i++) cmds.push(['GET', 'big'], ['ECHO', `n${i}`]);
    slow.send(...cmds);
    await sleep(300);
    // Back-pressure: the server stopped running the pipeline instead of queuing 40 MB.
    let maxOut = 0;
    for (const c of s.server.clients.values()) maxOut = Math.max(maxOut, c.socket.writableLength);
    expect(maxOut).toBeLessThan(16 * MB);
    slow.socket.resume();
    for (let i = 0; i < 40; i++) {
      const bulk = await slow.readRaw(10_000);
      expect(bulk.length).toBe(MB + `$${MB}\r\n\r\n`.length);
      expect(await slow.readText()).toBe(`$${`n${i}`.length}\r\nn${i}\r\n`);
    }
    expect(slow.closed).toBe(false);
  });

  it('back-pressure holds for a pipeline of keyspace commands alone', async () => {
    const s = await server({});
    const w = await connect(s.port);
    expect(await w.callText('SET', 'big', Buffer.alloc(MB, 'q'))).toBe('+OK\r\n');
    const slow = await connect(s.port);
    slow.socket.pause();
    slow.send(...Array.from({ length: 60 }, () => ['GET', 'big']));
    await sleep(300);
    let maxOut = 0;
    for (const c of s.server.clients.values()) maxOut = Math.max(maxOut, c.socket.writableLength);
    expect(maxOut).toBeLessThan(8 * MB);
    slow.socket.resume();
    for (let i = 0; i < 60; i++) expect((await slow.readRaw(10_000)).length).toBe(MB + `$${MB}\r\n\r\n`.length);
  });
});

describe('query buffer limit', () => {
  const KB = 1024;

  it('an incomplete request larger than client-query-buffer-limit closes the connection', async () => {
    const s = await server({ clientQueryBufferLimit: 1 << 20 });
    const c = await connect(s.port);
    const other = await connect(s.port);
    // Within the limit: fine.
    expect(await c.callText('SET', 'fits', Buffer.alloc(900 * KB, 'a'))).toBe('+OK\r\n');
    // Two 900 KB bulks declared, 1.5 MB sent: the request cannot complete within the limit.
    c.write(`*3\r\n$3\r\nSET\r\n$${900 * KB}\r\n`);
    c.write(Buffer.alloc(900 * KB, 'k'));
    c.write(`\r\n$${900 * KB}\r\n`);
    c.write(Buffer.alloc(600 * KB, 'v'));
    expect(await c.waitClosed(5000)).toBe(true);
    expect(await other.callText('STRLEN', 'fits')).toBe(`:${900 * KB}\r\n`);
    expect(await other.callText('DBSIZE')).toBe(':1\r\n');
  });

  it('an unterminated inline line past the limit closes the connection', async () => {
    const s = await server({ clientQueryBufferLimit: 1 << 20 });
    const c = await connect(s.port);
    c.write(Buffer.alloc(1200 * KB, 'a'));
    expect(await c.waitClosed(5000)).toBe(true);
    const other = await connect(s.port);
    expect(await other.callText('PING')).toBe('+PONG\r\n');
  });
});
