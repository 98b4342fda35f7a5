// The replication backlog's append and read throughput beside plain memcpy on a buffer of
// the same size: Node's Buffer.copy (one memcpy per call) into a 1 MB ring with the same
// wrap-around, and for reads a new Buffer filled by TypedArray.set (the fastest copy out
// Node has; Buffer.from(view) is several times slower). Median of 3 timed rounds after a
// warm-up.
import { ReplicationBacklog } from '../lib/replication/backlog';
import { timeRounds } from './env';

export interface BacklogRow {
  op: string;
  chunk: number;
  oursMBs: number;
  memcpyMBs: number;
  ratio: number;
}

const RING = 1 << 20;

function rate(bytes: number, fn: () => void): number {
  fn(); // warm-up
  return bytes / timeRounds(3, fn).seconds / 1e6;
}

export function runBacklogBench(quick: boolean): BacklogRow[] {
  const total = quick ? 128 << 20 : 1 << 30;
  const rows: BacklogRow[] = [];
  for (const chunk of [64, 1024, 16384]) {
    const data = Buffer.alloc(chunk, 7);
    const n = Math.floor(total / chunk);
    const backlog = new ReplicationBacklog(RING, 0);
    const ours = rate(n * chunk, () => {
      for (let i = 0; i < n; i++) backlog.append(data);
    });
    const ring = Buffer.alloc(RING);
    let pos = 0;
    const memcpy = rate(n * chunk, () => {
      for (let i = 0; i < n; i++) {
        const first = Math.min(chunk, RING - pos);
        data.copy(ring, pos, 0, first);
        if (first < chunk) data.copy(ring, 0, first);
        pos = (pos + chunk) % RING;
      }
    });
    rows.push({ op: 'append', chunk, oursMBs: ours, memcpyMBs: memcpy, ratio: ours / memcpy });
  }
  // A reader 64 KB behind: the bytes it missed, copied out (what a partial sync sends).
  const behind = 64 << 10;
  const backlog = new ReplicationBacklog(RING, 0);
  backlog.append(Buffer.alloc(RING + 12345, 1)); // wrapped
  const from = backlog.state().masterReplOffset + 1 - behind;
  const reads = Math.floor(total / behind / 4);
  const ring = Buffer.alloc(RING, 1);
  const ours = rate(reads * behind, () => {
    for (let i = 0; i < reads; i++) backlog.copy(from);
  });
  const memcpy = rate(reads * behind, () => {
    for (let i = 0; i < reads; i++) Buffer.allocUnsafe(behind).set(ring.subarray(RING - behind));
  });
  rows.push({ op: 'read (copy out)', chunk: behind, oursMBs: ours, memcpyMBs: memcpy, ratio: ours / memcpy });
  return rows;
}
