// Run in a fresh process by rdb.ts: loads an RDB file (argv[2]) into a new Keyspace with
// RdbLoader mode 'writes' (without its heap prefaulting when argv[3] is 'no-prefault'),
// effects drained per 1 MB chunk, as a start-up load would, and
// prints one JSON line: seconds, keys, and how much of the process's memory ended up in
// transparent huge pages (which GLIBC_TUNABLES=glibc.malloc.hugetlb=1 asks malloc for).
import * as fs from 'node:fs';

import { Keyspace } from '../lib/index';

const file = process.argv[2]!;
const fd = fs.openSync(file, 'r');
const buf = Buffer.allocUnsafe(1 << 20);
const t0 = process.hrtime.bigint();
const ks = new Keyspace({ instanceId: 1 });
const loader = ks.rdbLoader({ mode: 'writes', nowMs: 0, prefaultHeap: process.argv[3] !== 'no-prefault' });
for (;;) {
  const n = fs.readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  loader.feed(buf.subarray(0, n));
  ks.drainEffects();
}
loader.finish();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const rollup = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
const kb = (field: string) => Number(rollup.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
console.log(JSON.stringify({ seconds, keys: loader.report().keys, rssMB: kb('Rss') / 1024, hugeMB: kb('AnonHugePages') / 1024 }));
