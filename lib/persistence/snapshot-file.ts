// The snapshot file (dir/dbfilename): the keyspace in the RDB CRDT form, with the
// replication position in its aux fields (repl-id, repl-offset, and raa-upstream-* when
// following a real Redis), written when asked (SAVE) and at shutdown, and loaded at
// start-up, so that a restarted replica continues its master's stream with a partial sync.
// A file is written beside the old one and renamed over it: a crash mid-write leaves the
// previous snapshot whole.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Keyspace } from '../keyspace';
import { IncomingSnapshot } from '../replication/incoming-snapshot';

export interface LoadedSnapshot {
  keyspace: Keyspace;
  aux: Record<string, string>;
  bytes: number;
}

export function writeSnapshotFile(file: string, rdb: Buffer): void {
  const tmp = path.join(path.dirname(file), `temp-${process.pid}-${path.basename(file)}`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, rdb);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/**
 * The snapshot in `file` as a keyspace (its instance id from the file, else `instanceId`),
 * or null when there is no file. A damaged file is an error naming the file and the offset.
 */
export function readSnapshotFile(file: string, instanceId: number): LoadedSnapshot | null {
  if (!fs.existsSync(file)) return null;
  const rdb = fs.readFileSync(file);
  try {
    const incoming = new IncomingSnapshot();
    incoming.feed(rdb);
    const received = incoming.finish();
    if (received.kind === 'crdt') return { keyspace: received.keyspace, aux: received.aux, bytes: rdb.length };
    // A plain Redis file: its data becomes this instance's writes (they replicate).
    const keyspace = new Keyspace({ instanceId });
    const loader = keyspace.rdbLoader({ mode: 'writes' });
    for (const c of received.chunks) loader.feed(c);
    loader.finish();
    return { keyspace, aux: received.aux, bytes: rdb.length };
  } catch (err) {
    throw new Error(`cannot load ${file}: ${(err as Error).message}`, { cause: err });
  }
}
