// SCAN's guarantee, as Redis gives it: a full iteration returns every key that was present
// from its start to its end, even when the key table grows or shrinks in between.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../lib/index';

function scanAll(ks: Keyspace, between: (step: number) => void, count = 10): Set<string> {
  const seen = new Set<string>();
  let cursor = '0';
  let step = 0;
  do {
    const [next, keys] = ks.exec(['SCAN', cursor, 'COUNT', String(count)]) as [Buffer, Buffer[]];
    keys.forEach((k) => seen.add(k.toString()));
    cursor = next.toString();
    between(step++);
  } while (cursor !== '0');
  return seen;
}

describe('SCAN', () => {
  it('returns every key present throughout while the table grows', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.execMany(Array.from({ length: 1000 }, (_, i) => ['SET', `stay:${i}`, 'v']));
    const seen = scanAll(ks, (step) => {
      // The table doubles several times during the first steps of the scan.
      if (step < 20) ks.execMany(Array.from({ length: 500 }, (_, i) => ['SET', `grow:${step}:${i}`, 'v']));
    });
    for (let i = 0; i < 1000; i++) expect(seen.has(`stay:${i}`), `stay:${i}`).toBe(true);
  });

  it('returns every key present throughout while the table shrinks', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.execMany(Array.from({ length: 200 }, (_, i) => ['SET', `stay:${i}`, 'v']));
    ks.execMany(Array.from({ length: 20_000 }, (_, i) => ['SET', `gone:${i}`, 'v']));
    const seen = scanAll(ks, (step) => {
      ks.execMany(Array.from({ length: 2000 }, (_, i) => ['DEL', `gone:${step * 2000 + i}`]));
    }, 100);
    for (let i = 0; i < 200; i++) expect(seen.has(`stay:${i}`), `stay:${i}`).toBe(true);
  });

  it('MATCH and TYPE filter, and an idle full scan returns each key once', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.execMany([['SET', 'a:1', 'v'], ['SET', 'b:1', 'v'], ['SADD', 'a:set', 'm']]);
    const all: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = ks.exec(['SCAN', cursor, 'MATCH', 'a:*', 'TYPE', 'string']) as [Buffer, Buffer[]];
      all.push(...keys.map(String));
      cursor = next.toString();
    } while (cursor !== '0');
    expect(all).toEqual(['a:1']);
  });
});
