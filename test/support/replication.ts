// Helpers for replication tests: INFO fields, waiting for a replica to catch up, and the
// visible data of a server read back over the protocol (to compare with any server).
import Redis from 'ioredis';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function info(client: Redis, section: string): Promise<Record<string, string>> {
  const text = await client.info(section);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/** Polls `check` until it returns true; throws with `what` after the timeout. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Until the replica's link is up and it applied everything the master has streamed. */
export async function waitSynced(replica: Redis, master: Redis, timeoutMs = 15_000): Promise<void> {
  await waitFor('the replica to catch up', async () => {
    const r = await info(replica, 'replication');
    const m = await info(master, 'replication');
    return r.master_link_status === 'up' && r.slave_repl_offset === m.master_repl_offset;
  }, timeoutMs);
}

/** Every key with its type, value and whether it has a TTL: comparable with toEqual. */
export async function dataset(client: Redis): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await client.type(key);
    let value: unknown;
    if (type === 'string') value = await client.get(key);
    else if (type === 'list') value = await client.lrange(key, 0, -1);
    else if (type === 'hash') value = Object.entries(await client.hgetall(key)).sort();
    else if (type === 'set') value = (await client.smembers(key)).sort();
    else if (type === 'zset') value = await client.zrange(key, 0, -1, 'WITHSCORES');
    out[key] = { type, value, volatile: (await client.pttl(key)) > 0 };
  }
  return out;
}

/** Writes of every type, `n` rounds, under a prefix. */
export async function writeMix(client: Redis, prefix: string, n: number): Promise<void> {
  const p = client.pipeline();
  for (let i = 0; i < n; i++) {
    p.set(`${prefix}:s:${i}`, `v${i}`);
    p.incr(`${prefix}:counter`);
    p.rpush(`${prefix}:list`, String(i));
    p.hset(`${prefix}:hash`, `f${i % 50}`, String(i));
    p.sadd(`${prefix}:set`, String(i % 70));
    p.zadd(`${prefix}:zset`, i % 13, `m${i % 40}`);
    if (i % 10 === 0) p.set(`${prefix}:ttl:${i}`, 'x', 'EX', 3600);
    if (i % 7 === 0) p.del(`${prefix}:s:${i - 7}`);
  }
  await p.exec();
}
