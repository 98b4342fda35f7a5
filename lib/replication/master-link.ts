// The replica side: the link from this server to its master. It performs Redis's
// handshake (PING, AUTH, REPLCONF listening-port and capa, PSYNC), takes a full sync's RDB
// (disk transfer `$<len>` or diskless `$EOF:<mark>`) or continues with a partial one, then
// applies the stream, acknowledging its offset every second. A lost link is retried every
// second with PSYNC from where it stopped.
//
// The master may be this project's (its stream carries CRDT.EFFECTS: the replica joins them
// and mirrors the stream in its own backlog, so it can take over) or a real Redis server
// (plain commands: they run as local writes of this instance and replicate onward).
import net from 'node:net';

import { decodeReplies, ReplyError } from '../protocol/reply-decoder';
import { READ_BUFFER } from '../server/accept';
import { QueryBuffer } from '../server/query-buffer';
import { IncomingSnapshot } from './incoming-snapshot';
import { EFFECTS_COMMAND, request } from './stream';
import type { Replication } from './replication';

export type LinkState = 'connect' | 'connecting' | 'sync' | 'connected';

/** A master's history this replica can ask to continue: PSYNC <replid> <offset + 1>. */
export interface CachedMaster {
  replid: string;
  offset: number;
}

const MAX_LINE = 64 * 1024;
const RETRY_MS = 1000;

class LinkClosed extends Error {}

export class MasterLink {
  state: LinkState = 'connect';
  lastIoAt = Date.now();
  /** Bytes of the RDB received so far, and its length when known (disk transfer). */
  transferRead = 0;
  transferSize = -1;
  /** Stream commands the master sent that failed here (a real Redis's commands we lack). */
  streamErrors = 0;

  private socket: net.Socket | null = null;
  private handshakeInput: Buffer = Buffer.alloc(0);
  private waiting: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private phase: 'handshake' | 'rdb' | 'stream' = 'handshake';
  private incoming: IncomingSnapshot | null = null;
  private eofMark: Buffer | null = null;
  private eofTail: Buffer = Buffer.alloc(0);
  private fullsync: CachedMaster | null = null;
  private readonly stream = new QueryBuffer();
  private readonly progress = new Float64Array(2);
  private multi: { queue: Buffer[][]; bytes: number } | null = null;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  /** The next sync must be full: the stream could not be applied where it stood. */
  private forceFull = false;

  constructor(
    private readonly repl: Replication,
    readonly host: string,
    readonly port: number,
    private readonly failover = false,
  ) {}

  get log() {
    return this.repl.server.log;
  }

  start(): void {
    this.connect();
  }

  /** Ends the link for good (REPLICAOF NO ONE, another master, shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.drop(new LinkClosed('link stopped'));
  }

  /** Called every second by the server. */
  cron(now: number): void {
    if (this.state !== 'connected' && this.state !== 'sync') return;
    if (now - this.lastIoAt > this.repl.server.config.replTimeout * 1000) {
      this.log.warn({ master: `${this.host}:${this.port}` }, 'MASTER timeout: no data nor PING received');
      this.drop(new LinkClosed('timeout'));
      return;
    }
    if (this.state === 'connected') this.sendAck();
  }

  sendAck(): void {
    this.socket?.write(request('REPLCONF', 'ACK', this.repl.appliedOffset()));
  }

  private connect(): void {
    if (this.stopped) return;
    this.state = 'connecting';
    this.phase = 'handshake';
    this.handshakeInput = Buffer.alloc(0);
    // Reads land in the shared read buffer (accept.ts): a 'data' event's 64 KB allocation
    // per read was a tenth of a replica's CPU under a stream of small writes.
    const socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number) => {
          this.onData(READ_BUFFER.subarray(0, n));
          return true;
        },
      },
    });
    this.socket = socket;
    socket.on('error', (err) => this.log.info({ master: `${this.host}:${this.port}`, err: err.message }, 'master link error'));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.drop(new LinkClosed('connection closed'));
    });
    socket.once('connect', () => {
      this.handshake().catch((err: Error) => {
        if (!(err instanceof LinkClosed)) this.log.warn({ master: `${this.host}:${this.port}`, err: err.message }, 'replication handshake failed');
        this.drop(err);
      });
    });
  }

  // Closes the connection (if any) and, unless stopped, tries again in a second.
  private drop(err: Error): void {
    const socket = this.socket;
    this.socket = null;
    this.waiting?.reject(err);
    this.waiting = null;
    this.incoming?.discard();
    this.incoming = null;
    this.multi = null;
    this.stream.consume(this.stream.length);
    this.progress.fill(0);
    if (socket) {
      socket.destroy();
      if (this.state === 'connected') this.log.info({ master: `${this.host}:${this.port}` }, 'connection with master lost');
      this.repl.linkDown(this);
    }
    this.state = 'connect';
    if (!this.stopped) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.connect(), RETRY_MS);
    }
  }

  // `read` is valid only during this call (the shared read buffer): the stream keeps a copy of
  // what it leaves unparsed; the handshake and the RDB transfer, which keep what they read,
  // take a copy.
  private onData(read: Buffer): void {
    this.lastIoAt = Date.now();
    try {
      if (this.phase === 'stream') {
        this.applyStream(read);
        this.stream.detachFrom(read);
      } else if (this.phase === 'rdb') {
        this.takeRdb(Buffer.from(read));
      } else {
        const chunk = Buffer.from(read);
        this.handshakeInput = this.handshakeInput.length ? Buffer.concat([this.handshakeInput, chunk]) : chunk;
        this.waiting?.resolve();
      }
    } catch (err) {
      this.log.error({ master: `${this.host}:${this.port}`, err: (err as Error).message }, 'replication stream failed; a full sync follows');
      this.forceFull = true;
      this.drop(err as Error);
    }
  }

  // The next reply line of the handshake; lone newlines are the master's keepalives.
  private async line(): Promise<string> {
    for (;;) {
      const nl = this.handshakeInput.indexOf(10);
      if (nl >= 0) {
        const text = this.handshakeInput.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        this.handshakeInput = this.handshakeInput.subarray(nl + 1);
        if (text !== '') return text;
        continue;
      }
      if (this.handshakeInput.length > MAX_LINE) throw new Error('the master sent a line longer than 64 KB');
      await new Promise<void>((resolve, reject) => {
        this.waiting = { resolve, reject };
      });
      this.waiting = null;
    }
  }

  private async command(...args: (string | number)[]): Promise<string> {
    if (!this.socket) throw new LinkClosed('link closed');
    this.socket.write(request(...args));
    return this.line();
  }

  private async handshake(): Promise<void> {
    const config = this.repl.server.config;
    let reply = await this.command('PING');
    if (reply.startsWith('-') && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(reply)) {
      throw new Error(`error reply to PING from master: ${reply}`);
    }
    if (config.masterauth) {
      reply = config.masteruser
        ? await this.command('AUTH', config.masteruser, config.masterauth)
        : await this.command('AUTH', config.masterauth);
      if (reply.startsWith('-')) throw new Error(`unable to AUTH to MASTER: ${reply}`);
    }
    // Errors to REPLCONF are not fatal: old masters do not know every option.
    await this.command('REPLCONF', 'listening-port', this.repl.server.port);
    await this.command('REPLCONF', 'capa', 'eof', 'capa', 'psync2', 'capa', 'crdt');
    const cached = this.forceFull ? null : this.repl.cachedMaster();
    const psync = cached ? ['PSYNC', cached.replid, cached.offset + 1] : ['PSYNC', '?', -1];
    if (this.failover) psync.push('FAILOVER');
    this.state = 'sync';
    reply = await this.command(...psync);
    if (reply.startsWith('+FULLRESYNC')) {
      const [, replid, offset] = reply.split(' ');
      if (!replid || !/^[0-9a-f]{40}$/i.test(replid) || !/^[0-9]+$/.test(offset ?? '')) {
        throw new Error(`bad +FULLRESYNC reply from master: ${reply}`);
      }
      this.fullsync = { replid: replid.toLowerCase(), offset: Number(offset) };
      await this.beginTransfer();
      return;
    }
    if (reply.startsWith('+CONTINUE')) {
      const newReplid = reply.split(' ')[1];
      this.log.info({ master: `${this.host}:${this.port}`, replid: newReplid }, 'successful partial resynchronization with master');
      this.repl.continued(this, newReplid?.toLowerCase());
      this.goOnline();
      return;
    }
    if (/^-(NOMASTERLINK|LOADING)/.test(reply)) throw new Error(`master is not ready: ${reply}; retrying`);
    throw new Error(`unexpected reply to ${psync.join(' ')}: ${reply}`);
  }

  private async beginTransfer(): Promise<void> {
    const header = await this.line();
    if (!header.startsWith('$')) throw new Error(`bad bulk header from master: ${header}`);
    if (header.startsWith('$EOF:')) {
      const mark = header.slice(5);
      if (mark.length !== 40) throw new Error(`bad EOF mark from master: ${header}`);
      this.eofMark = Buffer.from(mark, 'latin1');
      this.transferSize = -1;
    } else {
      const size = Number(header.slice(1));
      if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad bulk length from master: ${header}`);
      this.eofMark = null;
      this.transferSize = size;
    }
    this.log.info({ master: `${this.host}:${this.port}`, size: this.transferSize }, 'full resync from master: receiving the RDB');
    this.transferRead = 0;
    this.eofTail = Buffer.alloc(0);
    this.incoming = new IncomingSnapshot();
    this.phase = 'rdb';
    const rest = this.handshakeInput;
    this.handshakeInput = Buffer.alloc(0);
    if (rest.length) this.takeRdb(rest);
  }

  // Passes the RDB on as it arrives (IncomingSnapshot). A diskless transfer ends with the
  // 40-byte mark: it is looked for in each read together with the last 39 bytes of the one
  // before (held back meanwhile), so a mark split across reads is found, and whatever
  // follows it is the stream.
  private takeRdb(chunk: Buffer): void {
    this.transferRead += chunk.length;
    const incoming = this.incoming!;
    const mark = this.eofMark;
    if (mark) {
      const data = this.eofTail.length ? Buffer.concat([this.eofTail, chunk]) : chunk;
      const at = data.indexOf(mark);
      if (at >= 0) {
        if (at > 0) incoming.feed(data.subarray(0, at));
        this.finishTransfer(at + mark.length < data.length ? data.subarray(at + mark.length) : null);
        return;
      }
      const keep = Math.min(mark.length - 1, data.length);
      if (data.length > keep) incoming.feed(data.subarray(0, data.length - keep));
      this.eofTail = data.subarray(data.length - keep);
      return;
    }
    const missing = this.transferSize - (this.transferRead - chunk.length);
    if (chunk.length < missing) return void incoming.feed(chunk);
    incoming.feed(chunk.subarray(0, missing));
    this.finishTransfer(chunk.length > missing ? chunk.subarray(missing) : null);
  }

  private finishTransfer(rest: Buffer | null): void {
    const master = this.fullsync!;
    const started = Date.now();
    // A damaged file throws here, and the data we hold has not changed (see IncomingSnapshot).
    const received = this.incoming!.finish();
    this.incoming = null;
    const keys = received.keys;
    if (received.kind === 'crdt') {
      this.repl.fullSyncLoaded(this, master, received.keyspace);
    } else {
      this.repl.fullSyncLoaded(this, master, null);
      this.repl.importPlainRdb(received.chunks);
    }
    this.forceFull = false;
    this.log.info(
      { master: `${this.host}:${this.port}`, bytes: this.transferRead, keys, ms: Date.now() - started },
      'MASTER <-> REPLICA sync: finished with success',
    );
    this.goOnline();
    this.sendAck(); // a diskless master streams nothing until the first ACK
    if (rest && rest.length) this.applyStream(rest);
  }

  private goOnline(): void {
    this.phase = 'stream';
    this.state = 'connected';
    this.transferSize = -1;
    this.transferRead = 0;
    const rest = this.handshakeInput;
    this.handshakeInput = Buffer.alloc(0);
    if (rest.length) this.applyStream(rest);
  }

  // Applies the complete commands of the stream. Plain commands run natively in one
  // crossing per read; the others (CRDT.EFFECTS, PING, REPLCONF, SELECT, MULTI/EXEC) come
  // back one at a time. A replica's keyspace refuses writes from clients, not from here.
  private applyStream(chunk: Buffer): void {
    this.stream.append(chunk);
    const ks = this.repl.server.keyspace;
    let ackWanted = false;
    ks.setReadOnly(false);
    try {
      while (this.stream.length > 0 && this.socket) {
        const view = this.stream.pending;
        const batch = ks.execRespFast(view, false, this.multi !== null, false, undefined, this.progress);
        if (batch.protocolError !== undefined) throw new Error(`protocol error in the replication stream: ${batch.protocolError}`);
        if (batch.consumed === 0) break;
        const bytes = view.subarray(0, batch.consumed);
        this.stream.consume(batch.consumed);
        if (batch.replies.length) this.countErrors(batch.replies);
        if (batch.handOver && this.streamCommand(batch.handOver)) ackWanted = true;
        if (this.multi) this.multi.bytes += bytes.length;
        else this.repl.streamApplied(bytes);
      }
    } finally {
      ks.setReadOnly(this.repl.isReplica());
    }
    if (ackWanted) this.sendAck();
  }

  // One command of the stream the keyspace does not run; returns whether an ACK is wanted.
  private streamCommand(argv: Buffer[]): boolean {
    const name = argv[0]!.toString('latin1').toLowerCase();
    const ks = this.repl.server.keyspace;
    if (this.multi && name !== 'exec' && name !== 'discard') {
      this.multi.queue.push(argv);
      return false;
    }
    switch (name) {
      case EFFECTS_COMMAND:
        if (argv.length !== 2) throw new Error('CRDT.EFFECTS takes one batch');
        ks.applyEffects(argv[1]!);
        return false;
      case 'ping':
        return false;
      case 'select':
        if (this.repl.upstream) this.repl.upstream.db = Number(argv[1]?.toString() ?? 0) || 0;
        return false;
      case 'replconf':
        return argv[1]?.toString().toLowerCase() === 'getack';
      case 'multi':
        this.multi = { queue: [], bytes: 0 };
        return false;
      case 'exec': {
        const { queue, bytes } = this.multi ?? { queue: [], bytes: 0 };
        this.multi = null;
        if (queue.length) this.countErrors(ks.execRaw(queue));
        // The offset moves past a transaction only once it ran whole.
        this.repl.streamApplied(null, bytes);
        return false;
      }
      case 'discard': {
        // Nothing ran, but the bytes were received: the offset moves past them.
        const bytes = this.multi?.bytes ?? 0;
        this.multi = null;
        this.repl.streamApplied(null, bytes);
        return false;
      }
      default:
        this.countErrors(ks.execRaw([argv]));
        return false;
    }
  }

  private countErrors(replies: Buffer): void {
    if (replies[0] !== 0x2d && !replies.includes('\r\n-')) return;
    for (const r of decodeReplies(replies)) {
      if (!(r instanceof ReplyError)) continue;
      this.streamErrors++;
      if (this.streamErrors <= 10 || this.streamErrors % 1000 === 0) {
        this.log.warn({ master: `${this.host}:${this.port}`, error: r.message, count: this.streamErrors }, 'a command from the master failed here');
      }
    }
  }
}
