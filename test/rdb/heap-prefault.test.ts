// The loader's heap prefaulting (Linux with glibc): a second thread, named raa-prefault,
// runs while a load into a keyspace is under way and ends with it, whether the load
// finishes or fails; the data loaded is the same with it and without it.
import * as fs from 'node:fs';

import { describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';

const linuxGlibc = process.platform === 'linux' && Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

function prefaultThreads(): number {
  return fs.readdirSync('/proc/self/task').filter((t) => {
    try {
      return fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim() === 'raa-prefault';
    } catch {
      return false; // the thread ended between the listing and the read
    }
  }).length;
}

// A file of a few MB, fed in 1 MB chunks.
function sourceRdb(): Buffer {
  const ks = new Keyspace({ instanceId: 1 });
  for (let i = 0; i < 200_000; i += 1000) {
    const cmds: string[][] = [];
    for (let j = i; j < i + 1000; j++) cmds.push(['SET', `key:${j}`, `value-${j}-${'x'.repeat(j % 40)}`]);
    cmds.push(['HSET', `hash:${i}`, ...Array.from({ length: 200 }, (_, k) => [`f${k}`, `v${k}`]).flat()]);
    cmds.push(['SADD', `set:${i}`, ...Array.from({ length: 200 }, (_, k) => `member-${k}`)]);
    ks.execMany(cmds);
  }
  const rdb = ks.toRdb();
  ks.close();
  return rdb;
}

function load(rdb: Buffer, prefaultHeap: boolean, during?: () => void): string {
  const ks = new Keyspace({ instanceId: 2 });
  const loader = ks.rdbLoader({ mode: 'writes', nowMs: 0, prefaultHeap });
  for (let at = 0; at < rdb.length; at += 1 << 20) {
    loader.feed(rdb.subarray(at, at + (1 << 20)));
    ks.drainEffects();
    during?.();
  }
  loader.finish();
  const digest = ks.digest();
  ks.close();
  return digest;
}

describe.skipIf(!linuxGlibc)('heap prefaulting during a load', () => {
  const rdb = sourceRdb();

  it('runs beside a load and ends with it; the data is the same without it', () => {
    expect(prefaultThreads()).toBe(0);
    const seen: number[] = [];
    const withIt = load(rdb, true, () => seen.push(prefaultThreads()));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(prefaultThreads()).toBe(0);

    const seenWithout: number[] = [];
    const without = load(rdb, false, () => seenWithout.push(prefaultThreads()));
    expect(seenWithout.every((n) => n === 0)).toBe(true);
    expect(withIt).toBe(without);
  });

  it('ends when the load fails', () => {
    const ks = new Keyspace({ instanceId: 3 });
    const loader = ks.rdbLoader({ mode: 'writes', nowMs: 0 });
    loader.feed(rdb.subarray(0, 1 << 20));
    expect(prefaultThreads()).toBe(1);
    const corrupt = Buffer.from(rdb.subarray(1 << 20, 2 << 20));
    corrupt.fill(0xee, 0, 64);
    expect(() => loader.feed(corrupt)).toThrow(/offset|byte/i);
    expect(prefaultThreads()).toBe(0);
    ks.close();
  });
});
