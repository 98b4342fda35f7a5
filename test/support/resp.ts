// A tiny RESP2 toolkit for tests and benchmarks: encode argv arrays as multibulk
// commands, split a byte stream into complete raw replies, parse a reply into values,
// and a minimal pipelining client over net.Socket that hands back raw reply Buffers.
import * as net from 'node:net';

export type Arg = string | Buffer;
export type Argv = readonly Arg[];

/** An error reply (`-ERR ...`) as a parsed value. */
export class RespError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespError';
  }
}

/** status -> string, bulk -> Buffer, integer -> number (bigint beyond 2^53), nil -> null. */
export type RespValue = string | number | bigint | Buffer | null | RespError | RespValue[];

const CRLF = Buffer.from('\r\n');

/** One command as a RESP multibulk. */
export function encodeCommand(argv: Argv): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const b = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, CRLF);
  }
  return Buffer.concat(parts);
}

/** Several commands back to back (a pipeline). */
export function encodeCommands(commands: readonly Argv[]): Buffer {
  return Buffer.concat(commands.map(encodeCommand));
}

/** Index of the CRLF ending the header line that starts at `start`, or -1. */
function lineEnd(buf: Buffer, start: number): number {
  const i = buf.indexOf(CRLF, start);
  return i;
}

function headerInt(buf: Buffer, start: number, end: number): number {
  const n = Number(buf.toString('latin1', start + 1, end));
  if (!Number.isInteger(n)) throw new Error(`RESP protocol error: bad length at byte ${start}`);
  return n;
}

/**
 * End offset (exclusive) of the complete reply starting at `start`, or -1 when the
 * buffer does not hold all of it yet. Throws on bytes that are not RESP2.
 */
export function replyEnd(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const e = lineEnd(buf, start);
  if (e < 0) return -1;
  const type = String.fromCharCode(buf[start]!);
  switch (type) {
    case '+':
    case '-':
    case ':':
      return e + 2;
    case '$': {
      const len = headerInt(buf, start, e);
      if (len < 0) return e + 2;
      const end = e + 2 + len + 2;
      return end <= buf.length ? end : -1;
    }
    case '*': {
      const count = headerInt(buf, start, e);
      let pos = e + 2;
      for (let i = 0; i < count; i++) {
        pos = replyEnd(buf, pos);
        if (pos < 0) return -1;
      }
      return pos;
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte 0x${buf[start]!.toString(16)} at ${start}`);
  }
}

/** Split a buffer of back-to-back replies into one raw Buffer per reply. */
export function splitReplies(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const end = replyEnd(buf, pos);
    if (end < 0) throw new Error(`RESP: incomplete reply at byte ${pos} of ${buf.length}`);
    out.push(buf.subarray(pos, end));
    pos = end;
  }
  return out;
}

function parseAt(buf: Buffer, start: number): [RespValue, number] {
  const e = lineEnd(buf, start);
  if (e < 0) throw new Error('RESP: incomplete reply');
  const type = String.fromCharCode(buf[start]!);
  const line = () => buf.toString('utf8', start + 1, e);
  switch (type) {
    case '+':
      return [line(), e + 2];
    case '-':
      return [new RespError(line()), e + 2];
    case ':': {
      const big = BigInt(line());
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return [safe ? Number(big) : big, e + 2];
    }
    case '$': {
      const len = headerInt(buf, start, e);
      if (len < 0) return [null, e + 2];
      if (e + 2 + len + 2 > buf.length) throw new Error('RESP: incomplete bulk');
      return [Buffer.from(buf.subarray(e + 2, e + 2 + len)), e + 2 + len + 2];
    }
    case '*': {
      const count = headerInt(buf, start, e);
      if (count < 0) return [null, e + 2];
      const items: RespValue[] = [];
      let pos = e + 2;
      for (let i = 0; i < count; i++) {
        const [v, next] = parseAt(buf, pos);
        items.push(v);
        pos = next;
      }
      return [items, pos];
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte 0x${buf[start]!.toString(16)}`);
  }
}

/** Parse exactly one complete reply. */
export function parseReply(buf: Buffer): RespValue {
  const [value, end] = parseAt(buf, 0);
  if (end !== buf.length) throw new Error(`RESP: ${buf.length - end} trailing bytes after reply`);
  return value;
}

interface Pending {
  count: number;
  replies: Buffer[];
  resolve: (replies: Buffer[]) => void;
  reject: (err: Error) => void;
}

/** A minimal pipelining RESP2 client that returns raw reply bytes. */
export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending[] = [];
  private closed: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ port, host });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RespClient(socket));
      });
    });
  }

  /** Send commands pipelined; resolve with exactly one raw reply per command. */
  send(commands: readonly Argv[]): Promise<Buffer[]> {
    if (this.closed) return Promise.reject(this.closed);
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ count: commands.length, replies: [], resolve, reject });
      this.socket.write(encodeCommands(commands));
    });
  }

  /** One command, parsed reply (error replies come back as RespError values). */
  async call(argv: Argv): Promise<RespValue> {
    const [raw] = await this.send([argv]);
    return parseReply(raw!);
  }

  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let pos = 0;
    while (this.pending.length) {
      const end = replyEnd(this.buf, pos);
      if (end < 0) break;
      const head = this.pending[0]!;
      head.replies.push(Buffer.from(this.buf.subarray(pos, end)));
      pos = end;
      if (head.replies.length === head.count) {
        this.pending.shift();
        head.resolve(head.replies);
      }
    }
    this.buf = pos === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
  }

  private fail(err: Error): void {
    this.closed ??= err;
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}
