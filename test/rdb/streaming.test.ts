// What the streaming reader promises, checked through its own counters: however the file is
// cut, it holds back at most one unit (plus the chunk that brought it), and a large value
// arriving in small chunks is parsed a handful of times, not once per chunk.
import { describe, expect, it } from 'vitest';

import { Keyspace } from '../../lib/index';
import { binding } from '../../lib/native';
import { RdbWriter } from '../support/rdb-legacy-writer';

function feedInChunks(file: Buffer, chunk: number, records = false) {
  const reader = new binding.RdbReader({ records });
  let maxBuffered = 0;
  let keys = 0;
  for (let i = 0; i < file.length; i += chunk) {
    for (const r of reader.feed(file.subarray(i, i + chunk))) keys += r.kind === 'key' ? 1 : 0;
    maxBuffered = Math.max(maxBuffered, reader.summary().buffered);
  }
  for (const r of reader.finish()) keys += r.kind === 'key' ? 1 : 0;
  return { summary: reader.summary(), maxBuffered, keys };
}

describe('streaming reader', () => {
  const ks = new Keyspace({ instanceId: 1 });
  const cmds: string[][] = [];
  for (let i = 0; i < 20_000; i++) cmds.push(['SET', `key:${i}`, `value-${i}`]);
  cmds.push(['HSET', 'hash', ...Array.from({ length: 4000 }, (_, i) => [`field${i}`, 'v'.repeat(80)]).flat()]);
  cmds.push(['RPUSH', 'list', ...Array.from({ length: 20_000 }, (_, i) => `item-${i}`)]);
  ks.execMany(cmds);
  const file = ks.toRdb();

  it('holds back at most one unit and a chunk, for any chunk size', () => {
    for (const chunk of [1, 7, 100, 4096, 65_536]) {
      const { summary, maxBuffered, keys } = feedInChunks(file, chunk);
      expect(summary.complete).toBe(true);
      expect(keys).toBe(0); // records off: counting only
      expect(summary.keys).toBe(20_002);
      // the largest unit here is a list node (8 KB listpack) or a hash field pair
      expect(maxBuffered, `chunk ${chunk}`).toBeLessThanOrEqual(chunk + 8300);
    }
  });

  it('gives every record the same, cut or whole', () => {
    expect(feedInChunks(file, 13, true).keys).toBe(20_002);
  });

  it('a 32 MB value fed 1 KB at a time is parsed a few times, not once per chunk', () => {
    const big = new Keyspace({ instanceId: 1 });
    big.exec(['SET', 'big', Buffer.alloc(32 << 20, 'x')]);
    const rdb = big.toRdb({ compress: false });
    const { summary } = feedInChunks(rdb, 1024);
    expect(summary.complete).toBe(true);
    // 32k chunks arrived; the value's unit waits for the length it announced
    expect(summary.retries).toBeLessThan(10);
  });

  it('a large value of unknown size (a module value of many items) is not re-read once per chunk', () => {
    const w = new RdbWriter(10);
    w.selectDb(0);
    w.moduleValue('big', 'bigmodule', 1, Array.from({ length: 50_000 }, (_, i) => ({ string: `item ${i} `.repeat(10) })));
    const { summary } = feedInChunks(w.end(), 1024);
    expect(summary.complete).toBe(true);
    expect(summary.modules).toEqual({ bigmodule: 1 });
    // about 5 MB in 1 KB chunks: waiting for the input to double keeps the re-reads to ~log2
    expect(summary.retries).toBeLessThan(40);
  });
});
