// Loading RDB files into a keyspace in process, or into a running server over the Redis
// protocol. The native loader reads and converts; this side only moves chunks (and, over
// the network, keeps the number of unanswered commands bounded).
import * as fs from 'node:fs';
import * as net from 'node:net';

import type { Keyspace } from '../keyspace';
import { binding, type RdbLoadReport, type RdbSummary } from '../native';
import { RequestEncoder } from '../protocol/request-encoder';

export interface LoadProgress {
  bytes: number;
  keys: number;
}

export interface ImportOptions {
  /** Import only this database (default: every one, all into db 0). */
  db?: number;
  verifyChecksum?: boolean;
  onProgress?: (p: LoadProgress) => void;
}

async function feedFile(path: string, feed: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) await feed(chunk as Buffer);
}

/** Imports a Redis RDB file into a keyspace as local writes. */
export async function importRdbFile(ks: Keyspace, path: string, options: ImportOptions = {}): Promise<RdbLoadReport> {
  const loader = ks.rdbLoader({ mode: 'writes', db: options.db, verifyChecksum: options.verifyChecksum });
  await feedFile(path, (chunk) => {
    loader.feed(chunk);
    if (options.onProgress) {
      const r = loader.report();
      options.onProgress({ bytes: r.bytes, keys: r.keys });
    }
  });
  loader.finish();
  return loader.report();
}

/** Reads a whole RDB file through (checksum included) without loading it: its summary, or the error. */
function verifyRdb(rdb: Buffer): RdbSummary {
  const check = new binding.RdbReader({ records: false });
  check.feed(rdb);
  check.finish();
  return check.summary();
}

/**
 * Joins an RDB file of the CRDT form (a full sync's snapshot) into a keyspace. The file is
 * read once through first (parsing is cheap beside joining): a damaged file, checksum
 * included, is refused before anything of it is joined.
 */
export function loadRdbSnapshot(ks: Keyspace, rdb: Buffer): RdbLoadReport {
  verifyRdb(rdb);
  const loader = ks.rdbLoader({ mode: 'snapshot' });
  loader.feed(rdb);
  loader.finish();
  return loader.report();
}

export interface RemoteImportOptions extends ImportOptions {
  host?: string;
  port?: number;
  password?: string;
  user?: string;
}

export interface RemoteImportReport extends RdbLoadReport {
  /** Error replies from the server, and the first few of them. */
  serverErrors: number;
  serverErrorSamples: string[];
}

/**
 * Imports a Redis RDB file into a running server (this project's or any Redis) by sending
 * the commands that recreate its keys, pipelined, with at most a few MB unanswered.
 */
export async function importRdbToServer(path: string, options: RemoteImportOptions = {}): Promise<RemoteImportReport> {
  const loader = new binding.RdbLoader(null, { mode: 'resp', nowMs: Date.now(), db: options.db, verifyChecksum: options.verifyChecksum });
  const conn = await RemoteConnection.open(options.host ?? '127.0.0.1', options.port ?? 6379);
  try {
    if (options.password !== undefined) {
      const encoder = new RequestEncoder();
      encoder.encode([options.user ? ['AUTH', options.user, options.password] : ['AUTH', options.password]]);
      await conn.send(encoder.take(), 1);
      await conn.drained();
      if (conn.errors) throw new Error(`AUTH failed: ${conn.errorSamples[0]}`);
    }
    // The loader counts the commands it writes: what was sent is the difference.
    let written = 0;
    const sendNew = async (out: Buffer | undefined) => {
      const total = loader.report().commands ?? 0;
      if (out && out.length) await conn.send(out, total - written);
      written = total;
    };
    await feedFile(path, async (chunk) => {
      await sendNew(loader.feed(chunk));
      if (options.onProgress) {
        const r = loader.report();
        options.onProgress({ bytes: r.bytes, keys: r.keys });
      }
    });
    await sendNew(loader.finish());
    await conn.drained();
    return { ...loader.report(), serverErrors: conn.errors, serverErrorSamples: conn.errorSamples };
  } catch (err) {
    // Say how far it got: the keys before this point were sent (and most likely applied).
    const r = loader.report();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`import stopped after ${r.bytes} bytes of the file (${r.keys} keys sent): ${why}`, { cause: err });
  } finally {
    conn.close();
  }
}

// A socket that counts replies as they come (only whether each is an error matters) and
// lets the sender wait while too many bytes are unanswered.
class RemoteConnection {
  errors = 0;
  errorSamples: string[] = [];
  private sentCommands = 0;
  private replies = 0;
  private buffered: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private failure?: Error;
  // Sends not fully answered yet, oldest first: the reply count that completes each, its bytes.
  private inFlight: { upTo: number; bytes: number }[] = [];
  private unanswered = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static open(host: string, port: number): Promise<RemoteConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => {
        s.removeListener('error', reject);
        resolve(new RemoteConnection(s));
      });
      s.once('error', reject);
    });
  }

  /** Sends `count` commands, RESP-encoded in `commands`. */
  async send(commands: Buffer, count: number): Promise<void> {
    if (this.failure) throw this.failure;
    this.sentCommands += count;
    this.inFlight.push({ upTo: this.sentCommands, bytes: commands.length });
    this.unanswered += commands.length;
    // Wait for the socket to drain, or for it to fail: a closed socket never drains, and a
    // promise nothing can settle would let the process end as if the import had finished.
    if (!this.socket.write(commands)) {
      let drained = false;
      const onDrain = () => {
        drained = true;
        this.wake();
      };
      this.socket.once('drain', onDrain);
      while (!drained && !this.failure) await this.waitEvent().catch(() => undefined);
      this.socket.off('drain', onDrain);
    }
    // Keep the server's reply buffer (and ours) small: wait once 8 MB of requests are out.
    while (this.unanswered > 8 << 20 && this.replies < this.sentCommands) await this.waitEvent();
    if (this.failure) throw this.failure;
  }

  async drained(): Promise<void> {
    while (this.replies < this.sentCommands) await this.waitEvent();
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.socket.destroy();
  }

  // Resolves at the next reply, drain or failure (whichever wakes the waiters first).
  private waitEvent(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((r) => this.waiters.push(r));
  }

  private fail(e: Error): void {
    if (this.replies >= this.sentCommands && e.message.startsWith('the server closed')) return;
    this.failure ??= e;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  // Replies to SET/RPUSH/SADD/ZADD/HSET/DEL/PEXPIREAT/AUTH are one line each: +, - or :.
  private onData(d: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, d]) : d;
    let start = 0;
    for (;;) {
      const nl = this.buffered.indexOf(10, start);
      if (nl < 0) break;
      if (this.buffered[start] === 0x2d) {
        this.errors++;
        if (this.errorSamples.length < 10) this.errorSamples.push(this.buffered.toString('utf8', start + 1, nl - 1));
      }
      this.replies++;
      start = nl + 1;
    }
    this.buffered = this.buffered.subarray(start);
    while (this.inFlight.length && this.inFlight[0]!.upTo <= this.replies) this.unanswered -= this.inFlight.shift()!.bytes;
    this.wake();
  }
}
