// Replication of one server, both sides of it, as Redis does it.
//
// As a master it keeps a replication ID pair and a backlog, created when the first replica
// asks to sync (the offset only moves while a backlog exists, as in Redis). Every effect
// batch of local writes goes into the stream as a CRDT.EFFECTS command: into the backlog,
// and to each attached replica. A replica that asks to continue from an offset the backlog
// holds, in a history this master knows, gets +CONTINUE and the missing bytes; any other
// gets +FULLRESYNC and an RDB snapshot of the CRDT form, then the stream.
//
// As a replica (REPLICAOF) it follows its master through a MasterLink. Following this
// project's master, it mirrors the master's stream byte for byte in its own backlog and
// takes the master's replication ID, so that its own replicas (and readers that move to it
// after a failover) can continue where they were. Following a real Redis server, the
// master's commands run as local writes here, and the master's (replid, offset, db) is
// kept apart ("upstream") to continue from after a disconnect or a restart.
import type { Keyspace } from '../keyspace';
import { ReplyError } from '../protocol/reply-decoder';
import { READ_BUFFER } from '../server/accept';
import type { Client } from '../server/client';
import type { Server } from '../server/server';
import { AttachedReplica, type ReplconfState } from './attached-replica';
import { ReplicationBacklog } from './backlog';
import { Failover } from './failover';
import { MasterLink, type CachedMaster } from './master-link';
import { NO_REPLID, ReplicationIds } from './replication-ids';
import { effectsCommand, GETACK_COMMAND, PING_COMMAND } from './stream';

export interface ReplicationStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
}

/** The master's history and position this server follows when its master is a real Redis. */
export interface Upstream extends CachedMaster {
  db: number;
}

const FLUSH_MS = 1;
const FLUSH_AT = 64 * 1024;


export class Replication {
  readonly ids = new ReplicationIds();
  readonly replicas = new Set<AttachedReplica>();
  stats: ReplicationStats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 };
  link: MasterLink | null = null;
  readonly failover = new Failover(this);
  /** Set while following a real Redis server: its history, which is not ours. */
  upstream: Upstream | null = null;
  private backlog: ReplicationBacklog | null = null;
  private lastPingAt = 0;
  private flushTimer?: NodeJS.Timeout;
  private unflushed = 0;
  private readonly waiters = new Set<() => void>();

  constructor(readonly server: Server) {}

  isReplica(): boolean {
    return this.link !== null;
  }

  get masterReplOffset(): number {
    return this.backlog?.masterReplOffset ?? 0;
  }

  backlogState() {
    return this.backlog?.state() ?? null;
  }

  // ---- master side ----

  /** Effects of local writes, one batch per turn of the event loop. */
  feedEffects(batch: Buffer): void {
    if (!this.backlog) return;
    this.feed(effectsCommand(batch));
  }

  // Appends to the stream. The backlog takes the bytes at once; replicas get them from it at
  // most once a millisecond (flushReplicas), or at once past FLUSH_AT bytes: under load a
  // write per replica per turn of the event loop cost the master as much CPU as the rest
  // of replication, and woke each replica as often.
  private feed(bytes: Buffer): void {
    const backlog = this.backlog!;
    if (this.replicas.size === 0) {
      backlog.append(bytes);
      return;
    }
    if (this.unflushed + bytes.length < Math.min(FLUSH_AT, backlog.capacity >> 1)) {
      backlog.append(bytes);
      this.unflushed += bytes.length;
      this.flushTimer ??= setTimeout(() => this.flushReplicas(), FLUSH_MS);
      return;
    }
    // A burst: what is pending first, then these bytes (they may not fit the ring). A replica
    // passes on views of the read buffer (MasterLink), which the next read overwrites: the
    // sockets get a copy of those.
    this.flushReplicas();
    backlog.append(bytes);
    const owned = bytes.buffer === READ_BUFFER.buffer ? Buffer.from(bytes) : bytes;
    for (const r of this.replicas) {
      r.write(owned);
      r.sentUpTo = backlog.masterReplOffset;
      r.client.checkOutputLimit();
    }
  }

  /** Sends every replica the stream bytes it has not been sent. */
  flushReplicas(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unflushed = 0;
    const backlog = this.backlog;
    if (!backlog) return;
    const end = backlog.masterReplOffset;
    // Replicas are usually all at the same point: one copy out of the ring serves them all.
    let copied = null as { from: number; bytes: Buffer } | null;
    for (const r of this.replicas) {
      if (r.sentUpTo >= end) continue;
      const from = r.sentUpTo + 1;
      if (copied?.from !== from) copied = { from, bytes: backlog.copy(from) };
      r.write(copied.bytes);
      r.sentUpTo = end;
      r.client.checkOutputLimit();
    }
  }

  private ensureBacklog(): ReplicationBacklog {
    if (!this.backlog) {
      this.backlog = new ReplicationBacklog(this.server.config.replBacklogSize, 0);
      this.server.recordEffectsIfWanted();  // the stream starts here: local writes from now on go into it
    }
    return this.backlog;
  }

  hasBacklog(): boolean {
    return this.backlog !== null;
  }

  resizeBacklog(bytes: number): void {
    this.backlog?.resize(bytes);
  }

  /**
   * PSYNC <replid> <offset> [FAILOVER] from a replica; returns an error line, or null once
   * the sync is under way. FAILOVER comes from our master handing its role to us.
   */
  psync(client: Client, replid: string, offsetText: string, failover: boolean): string | null {
    if (client.replica) return null; // already a replica: Redis ignores it
    const offset = /^-?[0-9]+$/.test(offsetText) ? Number(offsetText) : NaN;
    if (!Number.isSafeInteger(offset)) return 'ERR value is not an integer or out of range';
    if (failover) {
      if (replid.toLowerCase() !== this.ids.replid) return 'ERR PSYNC FAILOVER replid must match my replid.';
      this.server.log.info({ from: client.addr }, 'failover request from my master: taking over');
      this.replicaOfNoOne();
    }
    const replconf = this.replconfOf(client);
    const refused = this.refusal(replconf);
    if (refused) return refused;
    this.server.drainNow();
    const backlog = this.backlog;
    const decision = backlog ? this.ids.decide(replid, offset, (o) => backlog.holds(o)) : { kind: 'full' as const, reason: 'no backlog yet' };
    if (decision.kind === 'continue' && !replconf.rdbOnly) {
      const replica = this.attach(client, replconf, offset - 1);
      replica.write(Buffer.from(replconf.capa.has('psync2') ? `+CONTINUE ${this.ids.replid}\r\n` : '+CONTINUE\r\n'));
      this.flushReplicas();
      this.stats.syncPartialOk++;
      this.server.log.info({ replica: client.addr, offset }, 'partial resynchronization accepted');
      return null;
    }
    if (replid !== '?') {
      this.stats.syncPartialErr++;
      this.server.log.info({ replica: client.addr, reason: decision.kind === 'full' ? decision.reason : 'rdb-only' }, 'partial resynchronization not possible');
    }
    this.fullSync(client, replconf, true);
    return null;
  }

  /** SYNC: the pre-PSYNC protocol (and redis-cli --rdb): a snapshot without a +FULLRESYNC line. */
  sync(client: Client): string | null {
    if (client.replica) return null;
    const replconf = this.replconfOf(client);
    const refused = this.refusal(replconf);
    if (refused) return refused;
    this.server.drainNow();
    this.fullSync(client, replconf, false);
    return null;
  }

  // Why a sync cannot be served now, or null: a replica whose own link is down has no
  // stream to give, and a reader that is not one of ours cannot follow CRDT effects.
  private refusal(replconf: ReplconfState): string | null {
    if (this.isReplica() && this.link!.state !== 'connected') return "NOMASTERLINK Can't SYNC while not connected with my master";
    if (!replconf.capa.has('crdt') && !replconf.rdbOnly) {
      return 'ERR this master streams CRDT effects, which only a redis-active-active replica can follow. ' +
        'A snapshot of plain Redis types is served with REPLCONF rdb-only 1 (redis-cli --rdb).';
    }
    return null;
  }

  private replconfOf(client: Client): ReplconfState {
    return client.replconf ?? (client.replconf = { listeningPort: 0, capa: new Set(), rdbOnly: false });
  }

  // The snapshot is written at the current offset, after draining every pending effect
  // into the stream: the replica continues from the next byte. A snapshot-only reader
  // (not one of ours) gets the plain form, which any Redis tool reads.
  private fullSync(client: Client, replconf: ReplconfState, psync: boolean): void {
    const backlog = this.ensureBacklog();
    const offset = backlog.masterReplOffset;
    const crdt = replconf.capa.has('crdt') && !replconf.rdbOnly;
    const rdb = this.server.keyspace.toRdb({
      form: crdt ? 'crdt' : 'plain',
      aux: { 'repl-stream-db': '0', 'repl-id': this.ids.replid, 'repl-offset': String(offset) },
    });
    const replica = this.attach(client, replconf, offset);
    const parts = [Buffer.from(`$${rdb.length}\r\n`), rdb];
    if (psync) parts.unshift(Buffer.from(`+FULLRESYNC ${this.ids.replid} ${offset}\r\n`));
    replica.sendSnapshot(parts);
    this.stats.syncFull++;
    this.server.log.info({ replica: client.addr, bytes: rdb.length, offset, form: crdt ? 'crdt' : 'plain' }, 'full sync: snapshot sent');
    if (replconf.rdbOnly) {
      this.replicas.delete(replica);
      client.closeAfter();
    }
  }

  /** `sentUpTo`: the last stream byte the replica has (it is sent what follows). */
  private attach(client: Client, replconf: ReplconfState, sentUpTo: number): AttachedReplica {
    const replica = new AttachedReplica(client, replconf, sentUpTo);
    client.replica = replica;
    client.replyMode = 'off'; // a replica gets the stream, never replies (REPLCONF ACK has none)
    this.replicas.add(replica);
    return replica;
  }

  detach(client: Client): void {
    if (!client.replica) return;
    this.replicas.delete(client.replica);
    this.server.log.info({ replica: client.addr }, 'replica disconnected');
    this.notifyWaiters();
  }

  /** Closes every replica's connection: they reconnect and learn of a new history. */
  disconnectReplicas(): void {
    for (const r of [...this.replicas]) r.client.kill();
  }

  ack(client: Client, offset: number): void {
    client.replica?.ack(offset);
    this.notifyWaiters();
  }

  /** Replicas that acknowledged at least `offset`. */
  replicasAt(offset: number): number {
    let n = 0;
    for (const r of this.replicas) if (r.state === 'online' && r.ackOffset >= offset) n++;
    return n;
  }

  /** Asks every replica for an ACK now (WAIT, FAILOVER). */
  requestAcks(): void {
    if (!this.backlog || this.replicas.size === 0 || this.isReplica()) return;
    this.feed(GETACK_COMMAND);
    this.flushReplicas();
  }

  /** Calls `f` after every ACK (or replica gone) until it is removed. */
  onAck(f: () => void): () => void {
    this.waiters.add(f);
    return () => this.waiters.delete(f);
  }

  private notifyWaiters(): void {
    for (const f of [...this.waiters]) f();
  }

  // ---- replica side ----

  /** REPLICAOF host port: follows that master from now on. */
  replicaOf(host: string, port: number, options: { failover?: boolean } = {}): void {
    this.link?.stop();
    // Our own replicas must learn that our history now follows another master.
    this.disconnectReplicas();
    this.link = new MasterLink(this, host, port, options.failover);
    this.server.keyspace.setReadOnly(true, this.server.writeCommandNames());
    this.server.log.info({ master: `${host}:${port}` }, 'connecting to MASTER');
    this.link.start();
  }

  /** REPLICAOF NO ONE: a master again. Our history so far stays continuable as replid2. */
  replicaOfNoOne(): void {
    if (!this.link) return;
    this.link.stop();
    this.link = null;
    this.server.keyspace.setReadOnly(false);
    if (!this.upstream) {
      this.ids.shift(this.masterReplOffset);
      this.disconnectReplicas();
    }
    this.server.log.info({ replid: this.ids.replid, replid2: this.ids.replid2 }, 'MASTER MODE enabled');
  }

  /** What PSYNC asks for: the real Redis master's history we follow, else our own (as Redis's "cached master"). */
  cachedMaster(): CachedMaster | null {
    if (this.upstream) return this.upstream;
    if (!this.backlog) return null;
    return { replid: this.ids.replid, offset: this.masterReplOffset };
  }

  /** The offset acknowledged to the master. */
  appliedOffset(): number {
    return this.upstream ? this.upstream.offset : this.masterReplOffset;
  }

  /** A full sync's snapshot arrived: the CRDT form as a new keyspace, or null for a real Redis's. */
  fullSyncLoaded(link: MasterLink, master: CachedMaster, keyspace: Keyspace | null): void {
    if (link !== this.link) return;
    if (keyspace) {
      this.upstream = null;
      this.server.replaceKeyspace(keyspace);
      this.ids.adopt(master.replid);
      this.ensureBacklog().reset(master.offset);
      this.disconnectReplicas();
    } else {
      this.upstream = { replid: master.replid, offset: master.offset, db: 0 };
    }
    this.server.keyspace.setReadOnly(true, this.server.writeCommandNames());
    this.failover.linked();
  }

  /** A real Redis's snapshot: it replaces our data, as local writes (that replicate onward). */
  importPlainRdb(chunks: Buffer[]): void {
    const ks = this.server.keyspace;
    ks.setReadOnly(false);
    try {
      const flushed = ks.execRaw([['FLUSHALL']]);
      if (flushed[0] === 0x2d) throw new ReplyError(flushed.toString());
      const loader = ks.rdbLoader({ mode: 'writes' });
      for (const c of chunks) loader.feed(c);
      loader.finish();
    } finally {
      ks.setReadOnly(true);
    }
  }

  /** +CONTINUE [replid]: a new id means our master was promoted; its old one becomes our replid2. */
  continued(link: MasterLink, newReplid: string | undefined): void {
    if (link !== this.link) return;
    if (this.upstream) {
      if (newReplid) this.upstream.replid = newReplid;
      return;
    }
    if (newReplid && newReplid !== this.ids.replid) {
      this.ids.shift(this.masterReplOffset, newReplid);
      this.disconnectReplicas();
    }
    this.failover.linked();
  }

  /** Stream bytes applied: mirrored into our own stream when following one of ours. */
  streamApplied(bytes: Buffer | null, length = bytes?.length ?? 0): void {
    if (this.upstream) {
      this.upstream.offset += length;
    } else if (bytes) {
      this.feed(bytes);
    }
  }

  linkDown(link: MasterLink): void {
    if (link !== this.link) return;
    this.failover.linkFailed();
    this.notifyWaiters();
  }

  // ---- both ----

  /** Called every second by the server. */
  cron(now: number): void {
    this.link?.cron(now);
    const config = this.server.config;
    if (!this.isReplica() && this.replicas.size > 0 && now - this.lastPingAt >= config.replPingReplicaPeriod * 1000) {
      this.lastPingAt = now;
      this.feed(PING_COMMAND);
    }
    for (const r of [...this.replicas]) {
      if (r.state === 'online' && now - r.ackAt > config.replTimeout * 1000) {
        this.server.log.warn({ replica: r.client.addr }, 'disconnecting timedout replica');
        r.client.kill();
      }
    }
  }

  /** The aux fields a saved snapshot carries to continue replication after a restart. */
  persistedAux(): Record<string, string> {
    const aux: Record<string, string> = { 'repl-stream-db': '0', 'repl-id': this.ids.replid, 'repl-offset': String(this.masterReplOffset) };
    if (this.upstream) {
      aux['raa-upstream-replid'] = this.upstream.replid;
      aux['raa-upstream-offset'] = String(this.upstream.offset);
      aux['raa-upstream-db'] = String(this.upstream.db);
    }
    return aux;
  }

  /**
   * Restores what persistedAux() saved. A replica continues as it was (its master's
   * history); a master keeps its saved history as replid2, as Redis does after a restart.
   */
  restore(aux: Record<string, string>, asReplica: boolean): void {
    const replid = aux['repl-id'];
    const offset = Number(aux['repl-offset']);
    if (replid && /^[0-9a-f]{40}$/.test(replid) && replid !== NO_REPLID && Number.isSafeInteger(offset) && offset >= 0) {
      if (asReplica) this.ids.adopt(replid);
      else this.ids.restoreAsPrevious(replid, offset);
      this.ensureBacklog().reset(offset);
    }
    const upReplid = aux['raa-upstream-replid'];
    const upOffset = Number(aux['raa-upstream-offset']);
    if (upReplid && Number.isSafeInteger(upOffset)) {
      this.upstream = { replid: upReplid, offset: upOffset, db: Number(aux['raa-upstream-db']) || 0 };
    }
  }

  close(): void {
    clearTimeout(this.flushTimer);
    this.link?.stop();
    this.link = null;
  }
}
