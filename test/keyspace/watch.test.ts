// WATCH bookkeeping in the keyspace, with a manual clock (no timer can expire anything
// behind the test's back): a key whose TTL had already passed at WATCH time counts as
// changed only when it is written again, as in Redis 7.0.
import { describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';

const T = 1_700_000_000_000;

function expiredAtWatch() {
  const ks = new Keyspace({ instanceId: 1, time: T });
  ks.exec(['SET', 'k', 'v', 'PX', '30']);
  ks.setTime(T + 100);
  const keys = [Buffer.from('k')];
  const since = ks.watch(keys);
  const expired = ks.watchExpired(keys);
  return { ks, keys, since, expired };
}

describe('WATCH of a key whose TTL had passed', () => {
  it('is recorded as expired', () => {
    expect(expiredAtWatch().expired).toEqual([true]);
  });

  it('left alone, read (deleted lazily) or deleted: not changed', () => {
    for (const meanwhile of [null, ['GET', 'k'], ['DEL', 'k']]) {
      const { ks, keys, since, expired } = expiredAtWatch();
      if (meanwhile) ks.exec(meanwhile);
      expect(ks.watchChanged(keys, since, expired)).toBe(false);
    }
  });

  it('written again: changed', () => {
    const { ks, keys, since, expired } = expiredAtWatch();
    ks.exec(['SET', 'k', 'new']);
    expect(ks.watchChanged(keys, since, expired)).toBe(true);
  });

  it('a key live at WATCH whose TTL passes before EXEC: changed', () => {
    const ks = new Keyspace({ instanceId: 1, time: T });
    ks.exec(['SET', 'k', 'v', 'PX', '30']);
    const keys = [Buffer.from('k')];
    const since = ks.watch(keys);
    const expired = ks.watchExpired(keys);
    expect(expired).toEqual([false]);
    ks.setTime(T + 100);
    expect(ks.watchChanged(keys, since, expired)).toBe(true);
  });
});
