// ioredis 5 (RESP2) against the Redis endpoint over real sockets.
import Redis, { type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';
import { startServer, type RunningServer } from '../support/server';

let srv: RunningServer;
const clients: Redis[] = [];

function client(options: RedisOptions = {}, port = srv.port): Redis {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => null, ...options });
  r.on('error', () => {});
  clients.push(r);
  return r;
}

beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv.stop();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  srv.server.keyspace.exec(['FLUSHALL']);
  srv.server.keyspace.drainEffects();
});

describe('commands of each type', () => {
  it('strings', async () => {
    const r = client();
    expect(await r.set('s', 'hello')).toBe('OK');
    expect(await r.get('s')).toBe('hello');
    expect(await r.append('s', ' world')).toBe(11);
    expect(await r.strlen('s')).toBe(11);
    expect(await r.getrange('s', 0, 4)).toBe('hello');
    expect(await r.set('s', 'x', 'NX')).toBeNull();
    expect(await r.set('n', '10', 'EX', 100)).toBe('OK');
    expect(await r.ttl('n')).toBeGreaterThan(90);
    expect(await r.incrby('n', 5)).toBe(15);
    expect(await r.incrbyfloat('n', 0.5)).toBe('15.5');
    expect(await r.mset({ a: '1', b: '2' })).toBe('OK');
    expect(await r.mget('a', 'b', 'nope')).toEqual(['1', '2', null]);
    await expect(r.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
    expect(await r.exists('a', 'b', 'nope')).toBe(2);
    expect(await r.del('a', 'b')).toBe(2);
    expect(await r.type('s')).toBe('string');
  });

  it('hashes', async () => {
    const r = client();
    expect(await r.hset('h', { f1: 'v1', f2: 'v2', n: '1' })).toBe(3);
    expect(await r.hget('h', 'f1')).toBe('v1');
    expect(await r.hgetall('h')).toEqual({ f1: 'v1', f2: 'v2', n: '1' });
    expect(await r.hincrby('h', 'n', 9)).toBe(10);
    expect(await r.hdel('h', 'f2')).toBe(1);
    expect((await r.hkeys('h')).sort()).toEqual(['f1', 'n']);
    expect(await r.hlen('h')).toBe(2);
    expect(await r.hexists('h', 'f2')).toBe(0);
    expect(await r.type('h')).toBe('hash');
    await expect(r.get('h')).rejects.toThrow(/^WRONGTYPE/);
  });

  it('lists', async () => {
    const r = client();
    expect(await r.rpush('l', 'a', 'b', 'c')).toBe(3);
    expect(await r.lpush('l', 'z')).toBe(4);
    expect(await r.lrange('l', 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await r.lpop('l')).toBe('z');
    expect(await r.rpop('l')).toBe('c');
    expect(await r.llen('l')).toBe(2);
    expect(await r.lindex('l', 1)).toBe('b');
    expect(await r.type('l')).toBe('list');
  });

  it('sets', async () => {
    const r = client();
    expect(await r.sadd('s1', 'a', 'b', 'c')).toBe(3);
    expect(await r.sadd('s2', 'b', 'c', 'd')).toBe(3);
    expect(await r.sismember('s1', 'a')).toBe(1);
    expect((await r.sinter('s1', 's2')).sort()).toEqual(['b', 'c']);
    expect((await r.sunion('s1', 's2')).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await r.srem('s1', 'a')).toBe(1);
    expect(await r.scard('s1')).toBe(2);
    expect(await r.type('s1')).toBe('set');
  });

  it('sorted sets', async () => {
    const r = client();
    expect(await r.zadd('z', 1, 'one', 2, 'two', 3, 'three')).toBe(3);
    expect(await r.zrange('z', 0, -1, 'WITHSCORES')).toEqual(['one', '1', 'two', '2', 'three', '3']);
    expect(await r.zincrby('z', 10, 'one')).toBe('11');
    expect(await r.zrevrange('z', 0, 0)).toEqual(['one']);
    expect(await r.zscore('z', 'two')).toBe('2');
    expect(await r.zrangebyscore('z', 2, 3)).toEqual(['two', 'three']);
    expect(await r.zcard('z')).toBe(3);
    expect(await r.type('z')).toBe('zset');
  });

  it('keys: EXPIRE, PERSIST, RENAME, SCAN, KEYS', async () => {
    const r = client();
    for (let i = 0; i < 50; i++) await r.set(`scan:${i}`, String(i));
    expect(await r.expire('scan:1', 100)).toBe(1);
    expect(await r.pttl('scan:1')).toBeGreaterThan(90_000);
    expect(await r.persist('scan:1')).toBe(1);
    expect(await r.ttl('scan:1')).toBe(-1);
    expect(await r.rename('scan:2', 'renamed')).toBe('OK');
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', 'scan:*', 'COUNT', 10);
      keys.forEach((k) => seen.add(k));
      cursor = next;
    } while (cursor !== '0');
    expect(seen.size).toBe(49);
    expect((await r.keys('renamed'))).toEqual(['renamed']);
    expect(await r.dbsize()).toBe(50);
  });

  it('server commands through ioredis: PING, ECHO, INFO, CONFIG GET, TIME', async () => {
    const r = client();
    expect(await r.ping()).toBe('PONG');
    expect(await r.echo('x')).toBe('x');
    expect(await r.info('server')).toMatch(/redis_version:\d+\.\d+\.\d+/);
    expect(await r.config('GET', 'maxclients')).toEqual(['maxclients', '10000']);
    const [sec] = await r.time();
    expect(Math.abs(Number(sec) - Date.now() / 1000)).toBeLessThan(5);
  });
});

describe('pipelines', () => {
  it('2000 mixed commands in one pipeline, replies in order', async () => {
    const r = client();
    const p = r.pipeline();
    const n = 2000;
    for (let i = 0; i < n; i++) {
      switch (i % 5) {
        case 0: p.set(`k${i}`, `v${i}`); break;
        case 1: p.get(`k${i - 1}`); break;
        case 2: p.incr('ctr'); break;
        case 3: p.hset('ph', `f${i}`, i); break;
        default: p.ping(); break;
      }
    }
    const results = (await p.exec())!;
    expect(results).toHaveLength(n);
    let ctr = 0;
    for (let i = 0; i < n; i++) {
      const [err, value] = results[i]!;
      expect(err).toBeNull();
      switch (i % 5) {
        case 0: expect(value).toBe('OK'); break;
        case 1: expect(value).toBe(`v${i - 1}`); break;
        case 2: expect(value).toBe(++ctr); break;
        case 3: expect(value).toBe(1); break;
        default: expect(value).toBe('PONG'); break;
      }
    }
    expect(await r.hlen('ph')).toBe(n / 5);
  });

  it('an error inside a pipeline is reported for that command only', async () => {
    const r = client();
    const results = (await r.pipeline().set('a', 'x').incr('a').get('a').exec())!;
    expect(results[0]).toEqual([null, 'OK']);
    expect(String(results[1]![0])).toMatch(/ERR value is not an integer/);
    expect(results[2]).toEqual([null, 'x']);
  });

  it('auto-pipelining of 5000 concurrent calls', async () => {
    const r = client({ enableAutoPipelining: true });
    const replies = await Promise.all(Array.from({ length: 5000 }, (_, i) => r.sadd('auto', String(i))));
    expect(replies.every((x) => x === 1)).toBe(true);
    expect(await r.scard('auto')).toBe(5000);
  });
});

describe('MULTI / EXEC / WATCH', () => {
  it('multi() runs queued commands atomically', async () => {
    const r = client();
    const res = await r.multi().set('m', '1').incr('m').hset('mh', 'f', 'v').get('m').exec();
    expect(res).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, 1],
      [null, '2'],
    ]);
  });

  it('a runtime error in EXEC does not stop the other commands', async () => {
    const r = client();
    const res = (await r.multi().set('m', 'text').incr('m').set('after', 'yes').exec())!;
    expect(res[0]).toEqual([null, 'OK']);
    expect(String(res[1]![0])).toMatch(/ERR value is not an integer/);
    expect(res[2]).toEqual([null, 'OK']);
    expect(await r.get('after')).toBe('yes');
  });

  it('EXECABORT when a queued command has the wrong arity', async () => {
    const r = client();
    const tx = r.multi();
    tx.set('ok', '1');
    tx.call('SET', 'only-key');
    await expect(tx.exec()).rejects.toThrow(/EXECABORT Transaction discarded because of previous errors/);
    expect(await r.exists('ok')).toBe(0);
    // The connection is out of the transaction afterwards.
    expect(await r.set('ok', '2')).toBe('OK');
  });

  it('EXECABORT for an unknown command queued', async () => {
    const r = client();
    const tx = r.multi();
    tx.set('ok', '1');
    tx.call('NOSUCHCOMMAND', 'x');
    await expect(tx.exec()).rejects.toThrow(/EXECABORT/);
    expect(await r.exists('ok')).toBe(0);
  });

  it('DISCARD drops the queue', async () => {
    const r = client();
    expect(await r.call('MULTI')).toBe('OK');
    expect(await r.call('SET', 'd', '1')).toBe('QUEUED');
    expect(await r.call('DISCARD')).toBe('OK');
    expect(await r.exists('d')).toBe(0);
    await expect(r.call('DISCARD')).rejects.toThrow('ERR DISCARD without MULTI');
  });

  it('WATCH: EXEC succeeds when nobody touched the key', async () => {
    const r = client();
    await r.set('w', '1');
    expect(await r.watch('w')).toBe('OK');
    expect(await r.multi().set('w', '2').exec()).toEqual([[null, 'OK']]);
    expect(await r.get('w')).toBe('2');
  });

  it('WATCH: EXEC aborts (null) when another connection writes the watched key', async () => {
    const r = client();
    const other = client();
    await r.set('w', '1');
    await r.watch('w');
    await other.set('w', 'other');
    expect(await r.multi().set('w', 'mine').exec()).toBeNull();
    expect(await r.get('w')).toBe('other');
    // The watch is gone after EXEC: the next transaction runs.
    expect(await r.multi().set('w', 'mine').exec()).toEqual([[null, 'OK']]);
  });

  it('WATCH: EXEC aborts when a key is deleted or expires by another connection', async () => {
    const r = client();
    const other = client();
    await r.set('w', '1');
    await r.watch('w');
    await other.del('w');
    expect(await r.multi().incr('w').exec()).toBeNull();
    expect(await r.exists('w')).toBe(0);
  });

  it('WATCH: EXEC aborts when an effect from another Keyspace is applied', async () => {
    // Each peer needs an instance id of its own: the server remembers which effects of each instance it applied.
    const r = client();
    const peer = new Keyspace({ instanceId: 7 });
    try {
      srv.server.keyspace.exec(['SET', 'w', 'local']);
      peer.applyEffects(srv.server.keyspace.drainEffects());
      expect(await r.watch('w')).toBe('OK');
      peer.exec(['SET', 'w', 'remote']);
      srv.server.keyspace.applyEffects(peer.drainEffects());
      expect(await r.multi().set('w', 'mine').exec()).toBeNull();
      expect(await r.get('w')).toBe('remote');

      // An effect on a key nobody watches does not abort.
      await r.watch('w');
      peer.exec(['SET', 'unrelated', 'x']);
      srv.server.keyspace.applyEffects(peer.drainEffects());
      expect(await r.multi().set('w', 'mine').exec()).toEqual([[null, 'OK']]);
      expect(await r.get('unrelated')).toBe('x');
    } finally {
      peer.close();
    }
  });

  it('WATCH: an effect from another Keyspace on an unwatched key does not abort', async () => {
    const r = client();
    const peer = new Keyspace({ instanceId: 8 });
    try {
      await r.set('w', 'local');
      await r.watch('w');
      peer.exec(['SET', 'unrelated', 'x']);
      srv.server.keyspace.applyEffects(peer.drainEffects());
      expect(await r.multi().set('w', 'mine').exec()).toEqual([[null, 'OK']]);
      expect(await r.get('unrelated')).toBe('x');
      expect(await r.get('w')).toBe('mine');
    } finally {
      peer.close();
    }
  });

  it('UNWATCH: a later write no longer aborts', async () => {
    const r = client();
    const other = client();
    await r.set('w', '1');
    await r.watch('w');
    expect(await r.unwatch()).toBe('OK');
    await other.set('w', 'other');
    expect(await r.multi().set('w', 'mine').exec()).toEqual([[null, 'OK']]);
    expect(await r.get('w')).toBe('mine');
  });

  it('WATCH inside MULTI is an error; nested MULTI is an error', async () => {
    const r = client();
    expect(await r.call('MULTI')).toBe('OK');
    await expect(r.call('WATCH', 'x')).rejects.toThrow('ERR WATCH inside MULTI is not allowed');
    await expect(r.call('MULTI')).rejects.toThrow('ERR MULTI calls can not be nested');
    expect(await r.call('EXEC')).toEqual([]);
  });
});

describe('binary keys and values', () => {
  it('all 256 byte values, CRLF and NUL inside keys and values', async () => {
    const r = client();
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const key = Buffer.concat([Buffer.from('bin\r\n\0key'), all]);
    expect(await r.set(key, all)).toBe('OK');
    expect(await r.getBuffer(key)).toEqual(all);
    expect(await r.strlen(key)).toBe(256);
    for (let b = 0; b < 256; b++) await r.hset(Buffer.from('binhash'), Buffer.from([b, 13, 10]), Buffer.from([10, 13, b]));
    // callBuffer: hgetallBuffer would turn the field names into object keys (strings).
    const flat = (await r.callBuffer('HGETALL', 'binhash')) as Buffer[];
    expect(flat).toHaveLength(512);
    const fields = new Map<number, Buffer>();
    for (let i = 0; i < flat.length; i += 2) {
      expect(flat[i]!.length).toBe(3);
      expect(flat[i]!.subarray(1)).toEqual(Buffer.from('\r\n'));
      fields.set(flat[i]![0]!, flat[i + 1]!);
    }
    expect(fields.size).toBe(256);
    for (const [b, v] of fields) expect(v).toEqual(Buffer.from([10, 13, b]));
    const one = await r.hgetBuffer(Buffer.from('binhash'), Buffer.from([0, 13, 10]));
    expect(one).toEqual(Buffer.from([10, 13, 0]));
    const keys = await r.keysBuffer('bin*');
    expect(keys.some((k) => k.equals(key))).toBe(true);
    expect(await r.getBuffer(Buffer.from('bin\r\n'))).toBeNull();
  });

  it('every single-byte key is distinct', async () => {
    const r = client();
    const p = r.pipeline();
    for (let b = 0; b < 256; b++) p.set(Buffer.from([b]), Buffer.from([255 - b]));
    await p.exec();
    expect(await r.dbsize()).toBe(256);
    const q = r.pipeline();
    for (let b = 0; b < 256; b++) q.getBuffer(Buffer.from([b]));
    const got = (await q.exec())!.map(([, v]) => (v as Buffer)[0]);
    expect(got).toEqual(Array.from({ length: 256 }, (_, b) => 255 - b));
  });
});

describe('large values', () => {
  for (const mb of [64, 100]) {
    it(`${mb} MB SET / GET round trip`, async () => {
      const r = client();
      let big: Buffer | null = Buffer.allocUnsafe(mb * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i >>> 0, i);
      big[big.length - 1] = 0x0a;
      expect(await r.set('big', big)).toBe('OK');
      srv.server.keyspace.drainEffects();
      expect(await r.strlen('big')).toBe(big.length);
      let back: Buffer | null = await r.getBuffer('big');
      expect(back!.length).toBe(big.length);
      expect(back!.equals(big)).toBe(true);
      back = null;
      big = null;
      expect(await r.del('big')).toBe(1);
      srv.server.keyspace.drainEffects();
      expect(await r.ping()).toBe('PONG');
    }, 60_000);
  }
});

describe('connections', () => {
  it('200 clients at once writing different keys', async () => {
    const many = Array.from({ length: 200 }, () => client());
    await Promise.all(
      many.map(async (c, i) => {
        const p = c.pipeline();
        for (let j = 0; j < 10; j++) p.set(`c${i}:${j}`, `${i}-${j}`);
        p.incr('shared');
        p.sadd('members', String(i));
        await p.exec();
      }),
    );
    const r = client();
    expect(await r.dbsize()).toBe(200 * 10 + 2);
    expect(await r.get('shared')).toBe('200');
    expect(await r.scard('members')).toBe(200);
    expect(await r.get('c199:9')).toBe('199-9');
    const info = await r.info('clients');
    expect(Number(/connected_clients:(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(201);
    await Promise.all(many.map((c) => c.quit()));
    // Closed connections leave the clients table.
    const deadline = Date.now() + 3000;
    while (srv.server.clients.size > 1 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(srv.server.clients.size).toBe(1);
  });

  it('connectionName sets CLIENT SETNAME', async () => {
    const r = client({ connectionName: 'my-conn' });
    expect(await r.client('GETNAME')).toBe('my-conn');
    const list = (await r.client('LIST')) as string;
    expect(list).toMatch(/ name=my-conn /);
  });
});

describe('authentication', () => {
  let auth: RunningServer;
  beforeAll(async () => {
    auth = await startServer({ requirepass: 'secret', users: { alice: 'alicepw' } });
  });
  afterAll(async () => {
    await auth.stop();
  });

  it('ioredis with password', async () => {
    const r = client({ password: 'secret' }, auth.port);
    expect(await r.set('k', 'v')).toBe('OK');
    expect(await r.get('k')).toBe('v');
    expect(await r.client('INFO')).toMatch(/ user=default /);
  });

  it('ioredis with an ACL user', async () => {
    const r = client({ username: 'alice', password: 'alicepw' }, auth.port);
    expect(await r.set('ka', 'va')).toBe('OK');
    expect(await r.get('ka')).toBe('va');
    expect(await r.client('INFO')).toMatch(/ user=alice /);
  });

  // ioredis reports a failed AUTH on connect as an 'error' event, then closes (as with Redis).
  async function authError(options: RedisOptions): Promise<string> {
    const r = client({ lazyConnect: true, ...options }, auth.port);
    const error = new Promise<string>((resolve) => r.on('error', (e: Error) => resolve(e.message)));
    await r.connect().catch(() => {});
    return error;
  }

  it('wrong password is WRONGPASS', async () => {
    expect(await authError({ password: 'nope' })).toBe('WRONGPASS invalid username-password pair or user is disabled.');
    expect(await authError({ username: 'alice', password: 'secret' })).toBe(
      'WRONGPASS invalid username-password pair or user is disabled.',
    );
    expect(await authError({ username: 'nobody', password: 'x' })).toBe(
      'WRONGPASS invalid username-password pair or user is disabled.',
    );
  });

  it('NOAUTH before AUTH, then AUTH works on the same connection', async () => {
    // Without the ready check (an INFO that would fail with NOAUTH and make ioredis close).
    const r = client({ enableReadyCheck: false }, auth.port);
    await expect(r.get('k')).rejects.toThrow('NOAUTH Authentication required.');
    await expect(r.set('k', 'x')).rejects.toThrow('NOAUTH');
    await expect(r.auth('wrong')).rejects.toThrow(/WRONGPASS/);
    expect(await r.auth('secret')).toBe('OK');
    expect(await r.ping()).toBe('PONG');
    expect(await r.auth('alice', 'alicepw')).toBe('OK');
    expect(await r.client('INFO')).toMatch(/ user=alice /);
  });

  it('AUTH without a configured password is an error', async () => {
    const r = client();
    await expect(r.auth('whatever')).rejects.toThrow(
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    );
  });
});
