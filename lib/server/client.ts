// One client connection: its query buffer, its protocol and session state, and the read
// loop. A socket read crosses into the native keyspace once: execResp runs every
// keyspace command in it and hands back the first command the server must run itself
// (connection, server and transaction commands), after which the loop goes on.
import type { Socket } from 'node:net';

import type { AttachedReplica, ReplconfState } from '../replication/attached-replica';
import { QueryBuffer } from './query-buffer';
import type { Protocol } from './resp-writer';
import type { Server } from './server';

export type ReplyMode = 'on' | 'off' | 'skip';

export interface Transaction {
  queue: Buffer[][];
  /** A queued command was rejected: EXEC answers EXECABORT. */
  dirty: boolean;
}

// Past this many reply bytes waiting for the client, stop reading its requests until it
// catches up: a slow reader pipelining much gets back-pressure, not unbounded buffering.
const PAUSE_READING_AT = 4 << 20;

export class Client {
  readonly id: number;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  name = '';
  libName = '';
  libVer = '';
  protocol: Protocol = 2;
  user = 'default';
  authenticated: boolean;
  replyMode: ReplyMode = 'on';
  noEvict = false;
  noTouch = false;
  transaction: Transaction | null = null;
  /** `stale`: the keyspace was replaced (a replica's full sync) since WATCH: EXEC fails. */
  watching: { keys: Buffer[]; since: number; expired: boolean[]; stale?: boolean } | null = null;
  /** Set on a connection that sent REPLCONF, and on one that became a replica (PSYNC / SYNC). */
  replconf: ReplconfState | null = null;
  replica: AttachedReplica | null = null;
  /** Waiting for a reply that comes later (WAIT): its next requests wait too. */
  blocked = false;
  /** Running EXEC's queue: blocking commands answer at once. */
  inExec = false;
  /** A request held by a pause (CLIENT PAUSE, FAILOVER), and whether it writes. */
  private held: { request: Buffer[]; write: boolean } | null = null;
  lastCommand = 'NULL';
  closing = false;
  readonly addr: string;
  readonly laddr: string;

  private readonly input = new QueryBuffer();
  private readonly progress = new Float64Array(2);  // through an incomplete request at pending's start
  private readPaused = false;
  private softLimitSince = 0;

  constructor(
    private readonly core: Server,
    readonly socket: Socket,
    id: number,
  ) {
    this.id = id;
    this.authenticated = !core.authRequired();
    this.addr = `${socket.remoteAddress}:${socket.remotePort}`;
    this.laddr = `${socket.localAddress}:${socket.localPort}`;
    socket.on('drain', () => this.onDrain());
  }

  get resp3(): boolean {
    return this.protocol === 3;
  }

  /** Bytes of requests received and not yet run (INFO's query buffer figures). */
  get queryBufferLength(): number {
    return this.input.length;
  }

  /** Sends reply bytes, unless the client asked for no replies (CLIENT REPLY OFF / SKIP). */
  send(bytes: Buffer | string): void {
    if (this.replyMode !== 'on' || this.closing || bytes.length === 0) return;
    this.core.stats.netOutputBytes += bytes.length;
    this.socket.write(bytes);
    // A write not done at once (or queued behind one) still points into the bytes: if they
    // are the server's reply area, the next read must get a fresh one.
    if (this.socket.writableLength > 0 && typeof bytes !== 'string' && bytes.buffer === this.core.replyArea.buffer) {
      this.core.renewReplyArea();
    }
  }

  /** Sends a last reply and closes once it is written (QUIT, protocol errors, limits). */
  closeAfter(bytes?: string): void {
    if (this.closing) return;
    if (bytes && this.replyMode === 'on') this.socket.write(bytes);
    this.closing = true;
    this.socket.end();
  }

  /** Closes now, dropping whatever is buffered (CLIENT KILL, output limits). */
  kill(): void {
    this.closing = true;
    this.socket.destroy();
  }

  /**
   * Takes a read. A `transient` chunk is the shared read buffer (accept.ts), valid only
   * during this call: what is left of it unparsed is copied before returning.
   */
  onData(chunk: Buffer, transient: boolean): void {
    this.lastInteraction = Date.now();
    this.core.stats.netInputBytes += chunk.length;
    this.input.append(chunk);
    this.processInput();
    if (transient) this.input.detachFrom(chunk);
  }

  block(): void {
    this.blocked = true;
  }

  /** Sends the reply the client was blocked for, then goes on with its pending requests. */
  unblock(reply: string): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.send(reply);
    this.processInput();
  }

  get heldForWrite(): boolean {
    return this.held?.write === true;
  }

  /** Holds `request` until release(): the client's later requests wait behind it. */
  hold(request: Buffer[], write: boolean): void {
    this.held = { request, write };
    this.blocked = true;
  }

  /** The pause ended: the held request runs, then whatever the client sent after it. */
  release(): void {
    const held = this.held;
    if (!held || this.closing) return;
    this.held = null;
    this.blocked = false;
    this.core.dispatch(this, held.request);
    this.processInput();
  }

  private onDrain(): void {
    if (this.readPaused && this.socket.writableLength < PAUSE_READING_AT) {
      this.readPaused = false;
      this.socket.resume();
      this.processInput();
    }
    if (this.socket.writableLength === 0) this.softLimitSince = 0;
  }

  private processInput(): void {
    const ks = this.core.keyspace;
    let corked = false;
    while (this.input.length > 0 && !this.closing && !this.readPaused && !this.blocked) {
      const queueAll = !this.authenticated || this.transaction !== null || this.replyMode === 'skip' || (this.core.pause.all && !this.replica);
      const batch = ks.execRespFast(this.input.pending, this.resp3, queueAll, !this.authenticated, this.core.replyArea, this.progress);
      // Most reads make one write; a hand-over makes several, sent together.
      if (batch.handOver && !corked) {
        corked = true;
        this.socket.cork();
      }
      this.send(batch.replies);
      this.input.consume(batch.consumed);
      if (batch.protocolError !== undefined) {
        this.core.log.info({ client: this.id, addr: this.addr, error: batch.protocolError }, 'protocol error, closing the connection');
        this.closeAfter(`-ERR ${batch.protocolError}\r\n`);
        break;
      }
      if (batch.handOver) this.core.dispatch(this, batch.handOver);
      else if (batch.consumed === 0) break;  // the rest is an incomplete request
      if (this.socket.writableLength >= PAUSE_READING_AT && !this.closing) {
        this.readPaused = true;
        this.socket.pause();
      }
    }
    if (corked) this.socket.uncork();
    this.core.scheduleDrain();
    if (this.input.length > this.core.config.clientQueryBufferLimit && !this.closing) {
      this.core.log.warn({ client: this.id, addr: this.addr, bytes: this.input.length }, 'query buffer limit reached, closing');
      this.kill();
    }
    this.checkOutputLimit();
  }

  /**
   * client-output-buffer-limit (the replica class for a replica, whose snapshot transfer
   * does not count): over the hard limit, or over the soft limit for longer than its
   * seconds, the client is disconnected.
   */
  checkOutputLimit(): void {
    const { hard, soft, softSeconds } = this.replica ? this.core.config.replicaOutputLimit : this.core.config.outputLimit;
    const queued = this.replica ? this.replica.outputBuffered() : this.socket.writableLength;
    const overHard = hard > 0 && queued > hard;
    let overSoft = false;
    if (soft > 0 && queued > soft) {
      if (!this.softLimitSince) this.softLimitSince = Date.now();
      overSoft = Date.now() - this.softLimitSince > softSeconds * 1000;
    } else {
      this.softLimitSince = 0;
    }
    if (!overHard && !overSoft || this.closing) return;
    this.core.log.warn({ client: this.id, addr: this.addr, bytes: queued, replica: this.replica !== null }, 'client output buffer limit reached, closing');
    this.kill();
  }

  /** Called every second by the server: the soft output limit and the idle timeout. */
  cron(now: number): void {
    if (this.softLimitSince) this.checkOutputLimit();
    const timeout = this.core.config.timeout;
    if (timeout > 0 && now - this.lastInteraction > timeout * 1000 && !this.closing && !this.replica && !this.blocked) {
      this.core.log.info({ client: this.id, addr: this.addr }, 'idle timeout, closing');
      this.kill();
    }
  }
}
