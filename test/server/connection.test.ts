// The Redis endpoint over raw sockets: connection, client and server commands, RESP3,
// inline commands, request framing and protocol errors.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startServer, type RunningServer } from '../support/server';
import { RawConn, ReplyErr, parse3, parseInfo, type Value } from '../support/server-raw';

let srv: RunningServer;
const open: RawConn[] = [];

async function conn(port = srv.port): Promise<RawConn> {
  const c = await RawConn.connect(port);
  open.push(c);
  return c;
}

function errText(v: Value): string {
  expect(v).toBeInstanceOf(ReplyErr);
  return (v as ReplyErr).message;
}

beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv.stop();
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  const c = await RawConn.connect(srv.port);
  expect(await c.callText('FLUSHALL')).toBe('+OK\r\n');
  c.close();
});

describe('connection commands', () => {
  it('PING, PING msg, ECHO', async () => {
    const c = await conn();
    expect(await c.callText('PING')).toBe('+PONG\r\n');
    expect(await c.callText('PING', 'hi there')).toBe('$8\r\nhi there\r\n');
    expect(await c.callText('ECHO', 'a\r\nb')).toBe('$4\r\na\r\nb\r\n');
    expect(errText(await c.call('PING', 'a', 'b'))).toBe("ERR wrong number of arguments for 'ping' command");
    expect(errText(await c.call('ECHO'))).toBe("ERR wrong number of arguments for 'echo' command");
  });

  it('SELECT 0 is OK, SELECT 1 and SELECT x are errors', async () => {
    const c = await conn();
    expect(await c.callText('SELECT', '0')).toBe('+OK\r\n');
    expect(errText(await c.call('SELECT', '1'))).toBe('ERR DB index is out of range');
    expect(errText(await c.call('SELECT', 'x'))).toBe('ERR value is not an integer or out of range');
    expect(await c.callText('PING')).toBe('+PONG\r\n');
  });

  it('QUIT answers OK and closes', async () => {
    const c = await conn();
    c.send(['QUIT'], ['PING']);
    expect(await c.readText()).toBe('+OK\r\n');
    expect(await c.waitClosed()).toBe(true);
    expect(c.buffered.length).toBe(0);
  });

  it('RESET ends a transaction, RESP3, the name and reply mode', async () => {
    const c = await conn();
    await c.call('HELLO', '3');
    expect(await c.callText('CLIENT', 'SETNAME', 'before')).toBe('+OK\r\n');
    expect(await c.callText('MULTI')).toBe('+OK\r\n');
    expect(await c.callText('SET', 'k', 'v')).toBe('+QUEUED\r\n');
    expect(await c.callText('RESET')).toBe('+RESET\r\n');
    // RESP2 again: a missing key is $-1, not _.
    expect(await c.callText('GET', 'k')).toBe('$-1\r\n');
    expect(await c.callText('CLIENT', 'GETNAME')).toBe('$-1\r\n');
    expect(errText(await c.call('EXEC'))).toBe('ERR EXEC without MULTI');
  });

  it('RESET makes the client authenticate again when a password is set', async () => {
    const s = await startServer({ requirepass: 'pw' });
    try {
      const c = await conn(s.port);
      expect(await c.callText('AUTH', 'pw')).toBe('+OK\r\n');
      expect(await c.callText('SET', 'a', '1')).toBe('+OK\r\n');
      expect(await c.callText('RESET')).toBe('+RESET\r\n');
      expect(errText(await c.call('GET', 'a'))).toBe('NOAUTH Authentication required.');
    } finally {
      await s.stop();
    }
  });
});

describe('HELLO and RESP3', () => {
  it('HELLO 3 answers a map and later replies are RESP3', async () => {
    const c = await conn();
    c.send(['HELLO', '3']);
    const raw = await c.readRaw();
    expect(raw.toString('latin1').startsWith('%7\r\n')).toBe(true);
    const hello = parse3(raw) as Map<Value, Value>;
    expect(hello.get('server')).toBe('redis');
    expect(hello.get('proto')).toBe(3);
    expect(typeof hello.get('id')).toBe('number');
    expect(hello.get('mode')).toBe('standalone');
    expect(hello.get('role')).toBe('master');
    expect(hello.get('modules')).toEqual([]);
    expect(String(hello.get('version'))).toMatch(/^\d+\.\d+\.\d+$/);

    expect(await c.callText('HSET', 'h', 'f1', 'v1', 'f2', 'v2')).toBe(':2\r\n');
    expect(await c.callText('HGETALL', 'h')).toBe('%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n');
    expect(await c.callText('GET', 'missing')).toBe('_\r\n');
    expect(await c.callText('SADD', 's', 'x')).toBe(':1\r\n');
    expect(await c.callText('SMEMBERS', 's')).toBe('~1\r\n$1\r\nx\r\n');
    expect(await c.callText('ZADD', 'z', '1.5', 'm')).toBe(':1\r\n');
    expect(await c.callText('ZSCORE', 'z', 'm')).toBe(',1.5\r\n');
    // Server commands answer in RESP3 too.
    expect((await c.callText('CONFIG', 'GET', 'maxclients')).startsWith('%1\r\n')).toBe(true);
    expect(await c.callText('CLIENT', 'GETNAME')).toBe('_\r\n');
  });

  it('HELLO 2 goes back to RESP2; HELLO with no version keeps the protocol', async () => {
    const c = await conn();
    expect(await c.call('HELLO', '3')).toBeInstanceOf(Map);
    const r = await c.callText('HELLO', '2');
    expect(r.startsWith('*14\r\n')).toBe(true);
    expect(r).toContain('$5\r\nproto\r\n:2\r\n');
    expect(await c.callText('GET', 'missing')).toBe('$-1\r\n');
    expect(await c.callText('HSET', 'h', 'a', 'b')).toBe(':1\r\n');
    expect(await c.callText('HGETALL', 'h')).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    const again = await c.callText('HELLO');
    expect(again.startsWith('*14\r\n')).toBe(true);
  });

  it('NOPROTO for an unsupported version; the connection stays usable', async () => {
    const c = await conn();
    expect(errText(await c.call('HELLO', '4'))).toBe('NOPROTO unsupported protocol version');
    expect(errText(await c.call('HELLO', '1'))).toBe('NOPROTO unsupported protocol version');
    expect(errText(await c.call('HELLO', 'x'))).toBe('ERR Protocol version is not an integer or out of range');
    expect(await c.callText('GET', 'missing')).toBe('$-1\r\n');
  });

  it('HELLO 3 AUTH user pass SETNAME name authenticates and names in one round trip', async () => {
    const s = await startServer({ requirepass: 'secret', users: { alice: 'apw' } });
    try {
      const c = await conn(s.port);
      expect(errText(await c.call('GET', 'x'))).toBe('NOAUTH Authentication required.');
      expect(errText(await c.call('HELLO', '3'))).toMatch(/^NOAUTH HELLO must be called with the client already authenticated/);
      expect(errText(await c.call('HELLO', '3', 'AUTH', 'default', 'wrong'))).toBe(
        'WRONGPASS invalid username-password pair or user is disabled.',
      );
      const hello = (await c.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'conn-a')) as Map<Value, Value>;
      expect(hello).toBeInstanceOf(Map);
      expect(hello.get('proto')).toBe(3);
      expect(await c.callText('CLIENT', 'GETNAME')).toBe('$6\r\nconn-a\r\n');
      expect(await c.callText('GET', 'x')).toBe('_\r\n');

      const d = await conn(s.port);
      const h2 = (await d.call('HELLO', '2', 'AUTH', 'alice', 'apw')) as Value[];
      expect(Array.isArray(h2)).toBe(true);
      expect(await d.callText('SET', 'x', '1')).toBe('+OK\r\n');
      const info = String(await d.call('CLIENT', 'INFO'));
      expect(info).toMatch(/ user=alice /);

      expect(errText(await d.call('HELLO', '3', 'SETNAME', 'bad name'))).toBe(
        'ERR Client names cannot contain spaces, newlines or special characters.',
      );
      expect(errText(await d.call('HELLO', '3', 'BOGUS'))).toBe("ERR Syntax error in HELLO option 'BOGUS'");
    } finally {
      await s.stop();
    }
  });
});

function clientField(line: string, field: string): string | undefined {
  return new RegExp(`(?:^| )${field}=(\\S*)`).exec(line)?.[1];
}

describe('CLIENT', () => {
  it('SETNAME / GETNAME / ID / INFO / LIST', async () => {
    const c = await conn();
    const other = await conn();
    expect(await c.callText('CLIENT', 'GETNAME')).toBe('$-1\r\n');
    expect(await c.callText('CLIENT', 'SETNAME', 'worker-1')).toBe('+OK\r\n');
    expect(await c.callText('CLIENT', 'GETNAME')).toBe('$8\r\nworker-1\r\n');
    expect(errText(await c.call('CLIENT', 'SETNAME', 'has space'))).toBe(
      'ERR Client names cannot contain spaces, newlines or special characters.',
    );
    const id = (await c.call('CLIENT', 'ID')) as number;
    const otherId = (await other.call('CLIENT', 'ID')) as number;
    expect(Number.isInteger(id) && id > 0).toBe(true);
    expect(otherId).not.toBe(id);

    const info = String(await c.call('CLIENT', 'INFO'));
    expect(info.endsWith('\n')).toBe(true);
    expect(clientField(info, 'id')).toBe(String(id));
    expect(clientField(info, 'name')).toBe('worker-1');
    expect(clientField(info, 'addr')).toBe(`127.0.0.1:${c.socket.localPort}`);
    expect(clientField(info, 'laddr')).toBe(`127.0.0.1:${srv.port}`);
    expect(clientField(info, 'db')).toBe('0');
    expect(clientField(info, 'cmd')).toBe('client|info');

    const list = String(await c.call('CLIENT', 'LIST'));
    const lines = list.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const ids = lines.map((l) => clientField(l, 'id'));
    expect(ids).toContain(String(id));
    expect(ids).toContain(String(otherId));
    const byId = String(await c.call('CLIENT', 'LIST', 'ID', String(otherId)));
    expect(byId.trim().split('\n')).toHaveLength(1);
    expect(clientField(byId, 'id')).toBe(String(otherId));
    expect(String(await c.call('CLIENT', 'LIST', 'TYPE', 'normal')).trim().split('\n').length).toBe(lines.length);
  });

  it('KILL ID, KILL ADDR, and the old form KILL addr:port', async () => {
    const killer = await conn();
    const v1 = await conn();
    const v2 = await conn();
    const v3 = await conn();
    const id1 = (await v1.call('CLIENT', 'ID')) as number;

    expect(await killer.callText('CLIENT', 'KILL', 'ID', String(id1))).toBe(':1\r\n');
    expect(await v1.waitClosed()).toBe(true);
    expect(await killer.callText('CLIENT', 'KILL', 'ID', String(id1))).toBe(':0\r\n');

    const addr2 = `127.0.0.1:${v2.socket.localPort}`;
    expect(await killer.callText('CLIENT', 'KILL', 'ADDR', addr2)).toBe(':1\r\n');
    expect(await v2.waitClosed()).toBe(true);

    const addr3 = `127.0.0.1:${v3.socket.localPort}`;
    expect(await killer.callText('CLIENT', 'KILL', addr3)).toBe('+OK\r\n');
    expect(await v3.waitClosed()).toBe(true);
    expect(errText(await killer.call('CLIENT', 'KILL', addr3))).toBe('ERR No such client');

    // SKIPME yes (the default) spares the caller; SKIPME no kills it too.
    const selfId = (await killer.call('CLIENT', 'ID')) as number;
    expect(await killer.callText('CLIENT', 'KILL', 'ID', String(selfId))).toBe(':0\r\n');
    expect(await killer.callText('PING')).toBe('+PONG\r\n');
  });

  it('REPLY OFF / ON / SKIP', async () => {
    const c = await conn();
    c.send(['CLIENT', 'REPLY', 'OFF'], ['SET', 'a', '1'], ['GET', 'a'], ['PING'], ['CLIENT', 'REPLY', 'ON']);
    expect(await c.readText()).toBe('+OK\r\n'); // the ON's reply is the only one
    expect(await c.callText('GET', 'a')).toBe('$1\r\n1\r\n');

    c.send(['CLIENT', 'REPLY', 'SKIP'], ['SET', 'b', '2'], ['GET', 'b'], ['ECHO', 'x']);
    expect(await c.readTexts(2)).toEqual(['$1\r\n2\r\n', '$1\r\nx\r\n']);
    // SKIP of a server command drops exactly its reply as well.
    c.send(['CLIENT', 'REPLY', 'SKIP'], ['PING'], ['ECHO', 'after']);
    expect(await c.readText()).toBe('$5\r\nafter\r\n');
    expect(await c.quietFor(50)).toBe(true);
  });
});

describe('CONFIG', () => {
  async function configGet(c: RawConn, ...patterns: string[]): Promise<Record<string, string>> {
    const flat = (await c.call('CONFIG', 'GET', ...patterns)) as string[];
    expect(Array.isArray(flat)).toBe(true);
    const out: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
    return out;
  }

  it('GET with a name, a glob and several patterns', async () => {
    const c = await conn();
    expect(await configGet(c, 'maxclients')).toEqual({ maxclients: '10000' });
    const max = await configGet(c, 'max*');
    expect(Object.keys(max).sort()).toEqual(['maxclients', 'maxmemory', 'maxmemory-policy']);
    const several = await configGet(c, 'timeout', 'port', 'proto-max-bulk-len');
    expect(several).toEqual({ timeout: '0', port: String(srv.port), 'proto-max-bulk-len': String(512 * 1024 * 1024) });
    expect(await configGet(c, 'no-such-thing')).toEqual({});
    expect(Object.keys(await configGet(c, '*')).length).toBeGreaterThan(10);
  });

  it('SET maxclients and timeout; unknown and immutable options are errors', async () => {
    const c = await conn();
    expect(await c.callText('CONFIG', 'SET', 'maxclients', '5000')).toBe('+OK\r\n');
    expect(await configGet(c, 'maxclients')).toEqual({ maxclients: '5000' });
    expect(srv.server.config.maxclients).toBe(5000);
    expect(await c.callText('CONFIG', 'SET', 'timeout', '300', 'maxclients', '10000')).toBe('+OK\r\n');
    expect(await configGet(c, 'timeout', 'maxclients')).toEqual({ timeout: '300', maxclients: '10000' });
    expect(await c.callText('CONFIG', 'SET', 'timeout', '0')).toBe('+OK\r\n');

    expect(errText(await c.call('CONFIG', 'SET', 'no-such-option', '1'))).toBe(
      "ERR Unknown option or number of arguments for CONFIG SET - 'no-such-option'",
    );
    expect(errText(await c.call('CONFIG', 'SET', 'port', '1234'))).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config",
    );
    expect(errText(await c.call('CONFIG', 'SET', 'maxclients', 'lots'))).toMatch(
      /^ERR CONFIG SET failed \(possibly related to argument 'maxclients'\) - /,
    );
    // All or nothing: a bad pair leaves the good one unapplied.
    expect(errText(await c.call('CONFIG', 'SET', 'timeout', '7', 'maxclients', 'x'))).toMatch(/^ERR CONFIG SET failed/);
    expect(await configGet(c, 'timeout')).toEqual({ timeout: '0' });
  });

  it('RESETSTAT resets INFO stats; REWRITE is an error without a config file', async () => {
    const c = await conn();
    for (let i = 0; i < 3; i++) (await conn()).close();
    const before = parseInfo(String(await c.call('INFO', 'stats'))).get('stats')!;
    expect(Number(before.get('total_connections_received'))).toBeGreaterThanOrEqual(4);
    expect(await c.callText('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    const after = parseInfo(String(await c.call('INFO', 'stats'))).get('stats')!;
    expect(Number(after.get('total_connections_received'))).toBe(0);
    expect(errText(await c.call('CONFIG', 'REWRITE'))).toBe('ERR The server is running without a config file');
  });
});

describe('INFO, TIME, DBSIZE, FLUSHALL', () => {
  it('INFO has Redis sections and field names', async () => {
    const c = await conn();
    await c.call('SET', 'a', '1');
    const all = parseInfo(String(await c.call('INFO')));
    for (const s of ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'keyspace', 'crdt']) {
      expect(all.has(s), s).toBe(true);
    }
    const server = all.get('server')!;
    expect(server.get('redis_version')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(server.get('tcp_port')).toBe(String(srv.port));
    expect(server.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(Number(server.get('uptime_in_seconds'))).toBeGreaterThanOrEqual(0);
    expect(Number(all.get('clients')!.get('connected_clients'))).toBeGreaterThanOrEqual(1);
    expect(Number(all.get('memory')!.get('used_memory'))).toBeGreaterThan(0);
    expect(Number(all.get('memory')!.get('used_memory_rss'))).toBeGreaterThan(0);
    expect(all.get('persistence')!.get('loading')).toBe('0');
    expect(Number(all.get('stats')!.get('total_commands_processed'))).toBeGreaterThan(0);
    expect(all.get('replication')!.get('role')).toBe('master');
    expect(all.get('crdt')!.get('instance_id')).toBe('1');

    const one = parseInfo(String(await c.call('INFO', 'clients')));
    expect([...one.keys()]).toEqual(['clients']);
    const two = parseInfo(String(await c.call('INFO', 'server', 'crdt')));
    expect([...two.keys()]).toEqual(['server', 'crdt']);
  });

  it('INFO keyspace reflects the keys', async () => {
    const c = await conn();
    const empty = parseInfo(String(await c.call('INFO', 'keyspace'))).get('keyspace')!;
    expect(empty.size).toBe(0);
    c.send(['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3', 'EX', '100']);
    expect(await c.readTexts(3)).toEqual(['+OK\r\n', '+OK\r\n', '+OK\r\n']);
    const ks = parseInfo(String(await c.call('INFO', 'keyspace'))).get('keyspace')!;
    expect(ks.get('db0')).toMatch(/^keys=3,expires=1,avg_ttl=\d+$/);
    await c.call('DEL', 'a');
    expect(parseInfo(String(await c.call('INFO', 'keyspace'))).get('keyspace')!.get('db0')).toMatch(/^keys=2,expires=1,/);
  });

  it('TIME is now, in seconds and microseconds', async () => {
    const c = await conn();
    const [sec, usec] = (await c.call('TIME')) as string[];
    expect(sec).toMatch(/^\d+$/);
    expect(usec).toMatch(/^\d+$/);
    expect(Number(usec)).toBeLessThan(1_000_000);
    expect(Math.abs(Number(sec) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('DBSIZE and FLUSHALL', async () => {
    const c = await conn();
    expect(await c.callText('DBSIZE')).toBe(':0\r\n');
    c.send(['SET', 'a', '1'], ['HSET', 'h', 'f', 'v'], ['LPUSH', 'l', 'x'], ['SADD', 's', 'm']);
    await c.readTexts(4);
    expect(await c.callText('DBSIZE')).toBe(':4\r\n');
    expect(await c.callText('FLUSHALL')).toBe('+OK\r\n');
    expect(await c.callText('DBSIZE')).toBe(':0\r\n');
    expect(await c.callText('GET', 'a')).toBe('$-1\r\n');
  });
});

describe('inline commands', () => {
  it('PING typed as text, with CRLF and with LF only', async () => {
    const c = await conn();
    c.write('PING\r\n');
    expect(await c.readText()).toBe('+PONG\r\n');
    c.write('PING\n');
    expect(await c.readText()).toBe('+PONG\r\n');
    c.write('ECHO hello\r\n');
    expect(await c.readText()).toBe('$5\r\nhello\r\n');
  });

  it('quoted arguments, escapes and several commands in one write', async () => {
    const c = await conn();
    c.write('SET k "a b"\n');
    expect(await c.readText()).toBe('+OK\r\n');
    expect(await c.callText('GET', 'k')).toBe('$3\r\na b\r\n');
    c.write("SET k2 'single quoted'\r\nGET k2\r\nSET k3 \"x\\ny\\x41\"\r\nGET k3\r\n");
    expect(await c.readTexts(4)).toEqual(['+OK\r\n', '$13\r\nsingle quoted\r\n', '+OK\r\n', '$4\r\nx\nyA\r\n']);
    // An empty line is ignored.
    c.write('\r\nPING\r\n');
    expect(await c.readText()).toBe('+PONG\r\n');
  });

  it('unbalanced quotes are a protocol error that closes the connection', async () => {
    const c = await conn();
    c.write('SET k "a b\r\n');
    expect(await c.readText()).toBe('-ERR Protocol error: unbalanced quotes in request\r\n');
    expect(await c.waitClosed()).toBe(true);
  });
});

describe('request framing', () => {
  it('a pipeline sent one byte at a time', async () => {
    const c = await conn();
    const commands = [
      ['SET', 'k', 'v\r\nv'],
      ['GET', 'k'],
      ['HSET', 'h', 'f', '1'],
      ['HINCRBY', 'h', 'f', '41'],
      ['PING'],
      ['ECHO', ''],
      ['CLIENT', 'SETNAME', 'bytewise'],
      ['LPUSH', 'l', 'a', 'b'],
      ['LRANGE', 'l', '0', '-1'],
    ];
    const bytes = Buffer.concat([
      ...commands.map((argv) =>
        Buffer.from(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')),
      ),
      Buffer.from('PING\r\n'),
    ]);
    for (let i = 0; i < bytes.length; i++) {
      c.write(bytes.subarray(i, i + 1));
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await c.readTexts(commands.length + 1)).toEqual([
      '+OK\r\n',
      '$4\r\nv\r\nv\r\n',
      ':1\r\n',
      ':42\r\n',
      '+PONG\r\n',
      '$0\r\n\r\n',
      '+OK\r\n',
      ':2\r\n',
      '*2\r\n$1\r\nb\r\n$1\r\na\r\n',
      '+PONG\r\n',
    ]);
  });

  it('many requests coalesced in one write, mixing keyspace and server commands', async () => {
    const c = await conn();
    const n = 5000;
    const cmds: string[][] = [];
    for (let i = 0; i < n; i++) cmds.push(i % 10 === 5 ? ['ECHO', `e${i}`] : ['INCR', 'counter']);
    c.send(...cmds);
    const replies = await c.readTexts(n);
    let incr = 0;
    for (let i = 0; i < n; i++) {
      if (i % 10 === 5) expect(replies[i]).toBe(`$${`e${i}`.length}\r\ne${i}\r\n`);
      else expect(replies[i]).toBe(`:${++incr}\r\n`);
    }
    expect(await c.callText('GET', 'counter')).toBe(`$4\r\n${incr}\r\n`);
  });

  it("malformed multibulk: '*1\\r\\n+PING' -> protocol error and close; others unaffected", async () => {
    const bad = await conn();
    const good = await conn();
    bad.write('*1\r\n+PING\r\n');
    expect(await bad.readText()).toBe("-ERR Protocol error: expected '$', got '+'\r\n");
    expect(await bad.waitClosed()).toBe(true);
    expect(await good.callText('PING')).toBe('+PONG\r\n');
    expect(await good.callText('SET', 'x', 'y')).toBe('+OK\r\n');
  });

  it('invalid multibulk length and bulk length are protocol errors', async () => {
    const a = await conn();
    a.write('*abc\r\n');
    expect(await a.readText()).toBe('-ERR Protocol error: invalid multibulk length\r\n');
    expect(await a.waitClosed()).toBe(true);
    const b = await conn();
    b.write('*1\r\n$x\r\n');
    expect(await b.readText()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    expect(await b.waitClosed()).toBe(true);
  });

  it('proto-max-bulk-len: a bigger argument is a protocol error', async () => {
    const c = await conn();
    expect(await c.callText('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toBe('+OK\r\n');
    try {
      const ok = Buffer.alloc(1024 * 1024, 'a');
      expect(await c.callText('SET', 'fits', ok)).toBe('+OK\r\n');
      const big = await conn();
      big.write(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${2 * 1024 * 1024}\r\n`);
      expect(await big.readText()).toBe('-ERR Protocol error: invalid bulk length\r\n');
      expect(await big.waitClosed()).toBe(true);
      expect(await c.callText('EXISTS', 'big')).toBe(':0\r\n');
    } finally {
      expect(await c.callText('CONFIG', 'SET', 'proto-max-bulk-len', '512mb')).toBe('+OK\r\n');
    }
  });
});

describe('protected mode', () => {
  it('counts only loopback peers as local', async () => {
    const { isLoopback } = await import('../../lib/server/server');
    for (const a of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.127', '::ffff:10.1.2.3', 'fe80::1', undefined]) expect(isLoopback(a)).toBe(false);
  });
});

describe('users without requirepass', () => {
  it('connections start as the default user; AUTH user password switches', async () => {
    const s = await startServer({ users: { alice: 'apw' } });
    try {
      const c = await RawConn.connect(s.port);
      expect(await c.call('SET', 'k', 'v')).toBe('OK');
      expect(errText(await c.call('AUTH', 'alice', 'nope'))).toBe('WRONGPASS invalid username-password pair or user is disabled.');
      expect(errText(await c.call('AUTH', 'anything'))).toMatch(/^ERR AUTH <password> called without any password configured/);
      expect(await c.call('AUTH', 'alice', 'apw')).toBe('OK');
      expect(String(await c.call('CLIENT', 'INFO'))).toMatch(/ user=alice /);
      c.socket.destroy();
    } finally {
      await s.stop();
    }
  });
});

