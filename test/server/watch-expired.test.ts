// WATCH on a key whose TTL has already passed, beside a real redis-server 7.0: EXEC fails
// only if someone writes the key before it, not if it is merely deleted (by a read that
// expires it, or DEL) or left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server';
import { RespClient } from '../support/resp';
import { startServer, type RunningServer } from '../support/server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The EXEC reply after: key set with a 30 ms TTL, expired, WATCHed, then `meanwhile` run by
// another client before EXEC.
async function scenario(port: number, key: string, meanwhile: string[] | null): Promise<unknown> {
  const a = await RespClient.connect(port);
  const b = await RespClient.connect(port);
  try {
    await a.call(['SET', key, 'v', 'PX', '30']);
    await sleep(80);
    await a.call(['WATCH', key]);
    await a.call(['MULTI']);
    await a.call(['SET', `${key}:other`, '1']);
    if (meanwhile) await b.call(meanwhile);
    return await a.call(['EXEC']);
  } finally {
    await a.close();
    await b.close();
  }
}

describe.skipIf(!hasRedisServer)('WATCH of an already expired key, as redis-server', () => {
  let ours: RunningServer;
  let redis: RedisServer;
  beforeAll(async () => {
    ours = await startServer();
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await ours?.stop();
    await redis?.stop();
  });

  const cases: [string, (key: string) => string[] | null][] = [
    ['left alone', () => null],
    ['read (expired lazily)', (k) => ['GET', k]],
    ['deleted', (k) => ['DEL', k]],
    ['written again', (k) => ['SET', k, 'new']],
  ];
  for (const [name, meanwhile] of cases) {
    it(name, async () => {
      const key = `w:${name.replace(/\W/g, '')}`;
      const want = await scenario(redis.port, key, meanwhile(key));
      const got = await scenario(ours.port, key, meanwhile(key));
      expect(got).toEqual(want);
    });
  }
});
