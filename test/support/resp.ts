// A tiny RESP toolkit for tests and benchmarks: encode argv arrays as multibulk
// commands, split a byte stream into complete raw replies (RESP2, and RESP3 as Redis 7.0
// sends it), parse a reply into values, and a minimal pipelining client over net.Socket
// that hands back raw reply Buffers.
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

/** A RESP3 map (`%`): its entries in the order they came. */
export class RespMap {
  constructor(readonly entries: [RespValue, RespValue][]) {}
  /** The value of the first entry whose key is this string (or bulk with these bytes). */
  get(key: string): RespValue | undefined {
    const found = this.entries.find(([k]) => (Buffer.isBuffer(k) ? k.toString() : k) === key);
    return found?.[1];
  }
}

/** A RESP3 set (`~`) or push (`>`): its items in the order they came. */
export class RespSet {
  constructor(
    readonly items: RespValue[],
    readonly push = false,
  ) {}
}

/** A RESP3 verbatim string (`=`): its three-letter format and its text. */
export class RespVerbatim {
  constructor(
    readonly format: string,
    readonly text: Buffer,
  ) {}
}

/**
 * status -> string, bulk -> Buffer, integer -> number (bigint beyond 2^53), nil -> null,
 * and in RESP3: double -> number, big number -> bigint, boolean -> boolean, blob error ->
 * RespError, map -> RespMap, set and push -> RespSet, verbatim -> RespVerbatim (attributes
 * are skipped: the value they annotate is returned).
 */
export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | Buffer
  | null
  | RespError
  | RespValue[]
  | RespMap
  | RespSet
  | RespVerbatim;

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

/** Reply types whose whole reply is one line: status, error, integer; RESP3 null, boolean, double, big number. */
const LINE_TYPES = new Set('+-:_#,(');
/** Reply types with a length header and that many bytes: bulk; RESP3 blob error, verbatim. */
const BLOB_TYPES = new Set('$!=');
/** Aggregates of `count` replies: array; RESP3 set and push. */
const ARRAY_TYPES = new Set('*~>');
/** Aggregates of `count` key/value pairs: RESP3 map and attribute. */
const MAP_TYPES = new Set('%|');

/**
 * End offset (exclusive) of the complete reply starting at `start`, or -1 when the
 * buffer does not hold all of it yet. Throws on bytes that are neither RESP2 nor RESP3.
 * A RESP3 attribute (`|`) and the reply it annotates count as one reply.
 */
export function replyEnd(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const type = String.fromCharCode(buf[start]!);
  if (!LINE_TYPES.has(type) && !BLOB_TYPES.has(type) && !ARRAY_TYPES.has(type) && !MAP_TYPES.has(type)) {
    throw new Error(`RESP protocol error: unexpected type byte 0x${buf[start]!.toString(16)} at ${start}`);
  }
  const e = lineEnd(buf, start);
  if (e < 0) return -1;
  if (LINE_TYPES.has(type)) return e + 2;
  const n = headerInt(buf, start, e);
  if (BLOB_TYPES.has(type)) {
    if (n < 0) return e + 2;
    const end = e + 2 + n + 2;
    return end <= buf.length ? end : -1;
  }
  let pos = e + 2;
  const count = MAP_TYPES.has(type) ? 2 * n : n;
  for (let i = 0; i < count; i++) {
    pos = replyEnd(buf, pos);
    if (pos < 0) return -1;
  }
  return type === '|' ? replyEnd(buf, pos) : pos;
}

/**
 * The reply at `start` when it is an aggregate (array, set, map, push): its type byte,
 * its declared count (pairs for a map), where its items begin and its end; null for
 * anything else, including nil arrays. Throws when the reply is incomplete.
 */
export function aggregateAt(
  buf: Buffer,
  start = 0,
): { type: string; count: number; itemsStart: number; end: number } | null {
  const type = String.fromCharCode(buf[start] ?? 0);
  if (!ARRAY_TYPES.has(type) && type !== '%') return null;
  const e = lineEnd(buf, start);
  if (e < 0) throw new Error('RESP: incomplete reply');
  const count = headerInt(buf, start, e);
  if (count < 0) return null;
  const end = replyEnd(buf, start);
  if (end < 0) throw new Error('RESP: incomplete reply');
  return { type, count, itemsStart: e + 2, end };
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

function parseDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan' || text === '-nan') return NaN;
  return Number(text);
}

function parseAt(buf: Buffer, start: number): [RespValue, number] {
  const e = lineEnd(buf, start);
  if (e < 0) throw new Error('RESP: incomplete reply');
  const type = String.fromCharCode(buf[start]!);
  const line = () => buf.toString('utf8', start + 1, e);
  const blob = (): [Buffer | null, number] => {
    const len = headerInt(buf, start, e);
    if (len < 0) return [null, e + 2];
    if (e + 2 + len + 2 > buf.length) throw new Error('RESP: incomplete bulk');
    return [Buffer.from(buf.subarray(e + 2, e + 2 + len)), e + 2 + len + 2];
  };
  const items = (count: number): [RespValue[], number] => {
    const out: RespValue[] = [];
    let pos = e + 2;
    for (let i = 0; i < count; i++) {
      const [v, next] = parseAt(buf, pos);
      out.push(v);
      pos = next;
    }
    return [out, pos];
  };
  switch (type) {
    case '+':
      return [line(), e + 2];
    case '-':
      return [new RespError(line()), e + 2];
    case ':':
    case '(': {
      const big = BigInt(line());
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return [safe && type === ':' ? Number(big) : big, e + 2];
    }
    case '_':
      return [null, e + 2];
    case '#':
      return [line() === 't', e + 2];
    case ',':
      return [parseDouble(line()), e + 2];
    case '$':
      return blob();
    case '!': {
      const [b, next] = blob();
      return [new RespError(b ? b.toString() : ''), next];
    }
    case '=': {
      const [b, next] = blob();
      if (!b) return [null, next];
      return [new RespVerbatim(b.toString('latin1', 0, 3), b.subarray(4)), next];
    }
    case '*':
    case '~':
    case '>': {
      const count = headerInt(buf, start, e);
      if (count < 0) return [null, e + 2];
      const [list, next] = items(count);
      return [type === '*' ? list : new RespSet(list, type === '>'), next];
    }
    case '%':
    case '|': {
      const count = headerInt(buf, start, e);
      const [list, next] = items(2 * count);
      if (type === '|') return parseAt(buf, next);
      const entries: [RespValue, RespValue][] = [];
      for (let i = 0; i < list.length; i += 2) entries.push([list[i]!, list[i + 1]!]);
      return [new RespMap(entries), next];
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

/** A connected TCP socket with Nagle off, or the connection error. */
export function connectSocket(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port, host });
    socket.setNoDelay(true);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

interface Pending {
  count: number;
  replies: Buffer[];
  resolve: (replies: Buffer[]) => void;
  reject: (err: Error) => void;
}

/**
 * A minimal pipelining client that returns raw reply bytes, one per command (RESP3 push
 * messages count as replies: SUBSCRIBE's confirmations are pushes).
 */
export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending[] = [];
  private closed: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Connects and, with `protocol: 3`, switches the connection to RESP3 (HELLO 3). */
  static async connect(port: number, host = '127.0.0.1', options: { protocol?: 2 | 3 } = {}): Promise<RespClient> {
    const client = await RespClient.open(port, host);
    if (options.protocol === 3) {
      const [hello] = await client.send([['HELLO', '3']]);
      if (hello![0] !== 0x25 /* '%' */) {
        await client.close();
        throw new Error(`HELLO 3 was refused: ${hello!.toString('latin1', 0, 200)}`);
      }
    }
    return client;
  }

  private static async open(port: number, host: string): Promise<RespClient> {
    return new RespClient(await connectSocket(port, host));
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
