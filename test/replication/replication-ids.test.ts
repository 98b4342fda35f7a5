// PSYNC2's replication-ID rules: which (replid, offset) a master continues from.
import { describe, expect, it } from 'vitest';

import { ReplicationBacklog } from '../../lib/replication/backlog';
import { NO_REPLID, ReplicationIds } from '../../lib/replication/replication-ids';

function master(bytes: number) {
  const ids = new ReplicationIds();
  const backlog = new ReplicationBacklog(1024, 0);
  backlog.append(Buffer.alloc(bytes, 1));
  return { ids, backlog, holds: (o: number) => backlog.holds(o) };
}

describe('replication ids', () => {
  it('a fresh master: its own id at a held offset continues, anything else is a full sync', () => {
    const { ids, holds } = master(100);
    expect(ids.replid).toMatch(/^[0-9a-f]{40}$/);
    expect(ids.info()).toEqual({ master_replid: ids.replid, master_replid2: NO_REPLID, second_repl_offset: -1 });
    expect(ids.decide(ids.replid, 101, holds)).toEqual({ kind: 'continue' }); // nothing missing
    expect(ids.decide(ids.replid.toUpperCase(), 50, holds)).toEqual({ kind: 'continue' });
    expect(ids.decide(ids.replid, 102, holds).kind).toBe('full'); // beyond the stream
    expect(ids.decide('?', -1, holds)).toEqual({ kind: 'full', reason: 'full sync requested' });
    expect(ids.decide('f'.repeat(40), 50, holds)).toMatchObject({ kind: 'full', reason: /not this master's history/ });
    expect(ids.decide(NO_REPLID, 0, holds).kind).toBe('full');
  });

  it('a gap the backlog no longer holds is a full sync', () => {
    const { ids, holds } = master(5000); // 1 KB backlog: offsets 3977..5000 held
    expect(ids.decide(ids.replid, 3977, holds).kind).toBe('continue');
    expect(ids.decide(ids.replid, 3976, holds)).toMatchObject({ kind: 'full', reason: /backlog does not hold/ });
  });

  it('after a failover the old id continues up to where its history ended, not past it', () => {
    const old = master(100);
    const oldId = old.ids.replid;
    // The replica had applied all 100 bytes, then was promoted and wrote 20 more.
    const promoted = new ReplicationIds();
    promoted.adopt(oldId);
    promoted.shift(100);
    expect(promoted.info()).toMatchObject({ master_replid2: oldId, second_repl_offset: 101 });
    expect(promoted.replid).not.toBe(oldId);
    const backlog = new ReplicationBacklog(1024, 0);
    backlog.append(Buffer.alloc(120, 2));
    const holds = (o: number) => backlog.holds(o);
    expect(promoted.decide(oldId, 101, holds)).toEqual({ kind: 'continue' }); // a reader of the old master
    expect(promoted.decide(oldId, 90, holds)).toEqual({ kind: 'continue' });
    expect(promoted.decide(oldId, 102, holds)).toMatchObject({ kind: 'full', reason: /previous history ends/ });
    expect(promoted.decide(promoted.replid, 121, holds)).toEqual({ kind: 'continue' });
  });

  it('adopting a master clears the previous id; a restart keeps the saved history as the previous one', () => {
    const ids = new ReplicationIds();
    ids.shift(10);
    ids.adopt('A'.repeat(40));
    expect(ids.info()).toEqual({ master_replid: 'a'.repeat(40), master_replid2: NO_REPLID, second_repl_offset: -1 });
    const restarted = new ReplicationIds();
    restarted.restoreAsPrevious('b'.repeat(40), 500);
    expect(restarted.info()).toMatchObject({ master_replid2: 'b'.repeat(40), second_repl_offset: 501 });
    const backlog = new ReplicationBacklog(1024, 500);
    expect(restarted.decide('b'.repeat(40), 501, (o) => backlog.holds(o))).toEqual({ kind: 'continue' });
  });
});
