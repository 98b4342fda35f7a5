// Replication IDs, as PSYNC2 defines them. A history of the stream is named by a random
// 40-hex replid; a promoted replica keeps its old master's id as replid2, valid up to
// second_replid_offset (exclusive end: the first offset of the new history), so readers
// that followed the old master can continue from the new one with a partial sync.
import { randomBytes } from 'node:crypto';

export const NO_REPLID = '0'.repeat(40);

export function newReplid(): string {
  return randomBytes(20).toString('hex');
}

/** What a master decides on `PSYNC <replid> <offset>`. */
export type PsyncDecision = { kind: 'continue' } | { kind: 'full'; reason: string };

export class ReplicationIds {
  replid = newReplid();
  replid2 = NO_REPLID;
  /** The first offset that replid2 does not cover; -1 when there is no replid2. */
  secondReplidOffset = -1;

  /**
   * Redis's rule: the id must be ours, or our previous one with the offset inside the part of
   * history we share with it; then the backlog must hold the offset (`holds` answers for the
   * next byte wanted). `?` or an offset of -1 asks for a full sync.
   */
  decide(requestedReplid: string, offset: number, holds: (offset: number) => boolean): PsyncDecision {
    if (requestedReplid === '?' || offset < 0 || !Number.isSafeInteger(offset)) return { kind: 'full', reason: 'full sync requested' };
    const id = requestedReplid.toLowerCase();
    const current = id === this.replid;
    const previous = id === this.replid2 && id !== NO_REPLID && offset <= this.secondReplidOffset;
    if (!current && !previous) {
      return id === this.replid2 && id !== NO_REPLID
        ? { kind: 'full', reason: `offset ${offset} is past ${this.secondReplidOffset}, where the previous history ends` }
        : { kind: 'full', reason: `replication id ${requestedReplid} is not this master's history` };
    }
    if (!holds(offset)) return { kind: 'full', reason: `the backlog does not hold offset ${offset}` };
    return { kind: 'continue' };
  }

  /**
   * Promotion (failover, REPLICAOF NO ONE): the current history becomes the previous one, up
   * to the next byte, and a new history starts (a new random id, or the one our master took
   * when it was promoted: +CONTINUE <new replid>).
   */
  shift(masterReplOffset: number, next = newReplid()): void {
    this.replid2 = this.replid;
    this.secondReplidOffset = masterReplOffset + 1;
    this.replid = next;
  }

  /** A replica after a full sync (or a partial one that named a new id) follows its master's history. */
  adopt(masterReplid: string): void {
    this.replid = masterReplid.toLowerCase();
    this.replid2 = NO_REPLID;
    this.secondReplidOffset = -1;
  }

  /**
   * A master restarted from a snapshot that recorded (repl-id, repl-offset): that history
   * stays valid as the previous one, so its replicas can still continue partially.
   */
  restoreAsPrevious(savedReplid: string, savedOffset: number): void {
    this.replid2 = savedReplid.toLowerCase();
    this.secondReplidOffset = savedOffset + 1;
    this.replid = newReplid();
  }

  /** The INFO replication fields these name. */
  info(): { master_replid: string; master_replid2: string; second_repl_offset: number } {
    return { master_replid: this.replid, master_replid2: this.replid2, second_repl_offset: this.secondReplidOffset };
  }
}
