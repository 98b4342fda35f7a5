// A raw socket to a Redis endpoint for server tests: write any bytes (RESP, inline text,
// garbage, one byte at a time), read back RESP2 or RESP3 replies as raw bytes or parsed
// values, and observe the server closing the connection.
import * as net from 'node:net';

import { RespError, RespMap, RespSet, RespVerbatim, connectSocket, encodeCommand, encodeCommands, parseReply, replyEnd, type Argv, type RespValue } from './resp';

/** An error reply (`-ERR ...`, `!...` blob error). */
export class ReplyErr {
  constructor(readonly message: string) {}
  toString(): string {
    return this.message;
  }
}

/**
 * RESP2/RESP3 values: simple string and bulk -> string (utf8), integer -> number, big
 * number -> bigint, null (either protocol) -> null, boolean -> boolean, double -> number,
 * map -> Map (keys as above), set and push -> array, verbatim -> its text.
 */
export type Value = string | number | bigint | boolean | null | ReplyErr | Value[] | Map<Value, Value>;

// resp.ts frames and parses; these tests want text, Maps and flat arrays instead.
function toValue(v: RespValue): Value {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof RespError) return new ReplyErr(v.message);
  if (v instanceof RespVerbatim) return v.text.toString('utf8');
  if (v instanceof RespMap) return new Map(v.entries.map(([k, x]) => [toValue(k), toValue(x)]));
  if (v instanceof RespSet) return v.items.map(toValue);
  if (Array.isArray(v)) return v.map(toValue);
  return v;
}

/** Parses exactly one complete RESP2/RESP3 reply. */
export function parse3(buf: Buffer): Value {
  return toValue(parseReply(buf));
}

/** A socket with a byte buffer: replies are read in order, and the close is observable. */
export class RawConn {
  private buf = Buffer.alloc(0);
  // Chunks not yet joined to buf: a large reply is joined once, when enough has arrived.
  private chunks: Buffer[] = [];
  private chunksLength = 0;
  private need = 0;
  private waiters: (() => void)[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.chunksLength += chunk.length;
      if (this.buf.length + this.chunksLength >= this.need) this.wake();
    });
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.wake();
        resolve();
      }),
    );
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawConn> {
    return new RawConn(await connectSocket(port, host));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private waitChange(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends commands as RESP multibulk (pipelined). */
  send(...commands: Argv[]): void {
    this.socket.write(commands.length === 1 ? encodeCommand(commands[0]!) : encodeCommands(commands));
  }

  private join(): void {
    if (this.chunks.length === 0) return;
    this.buf = Buffer.concat([this.buf, ...this.chunks]);
    this.chunks = [];
    this.chunksLength = 0;
  }

  /** Bytes received and not yet read as replies. */
  get buffered(): Buffer {
    this.join();
    return this.buf;
  }

  /** Bytes received so far and not read as replies, without joining them. */
  get bufferedLength(): number {
    return this.buf.length + this.chunksLength;
  }

  /** The next complete reply's bytes; rejects on timeout or when the connection closes first. */
  async readRaw(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.join();
      const end = replyEnd(this.buf, 0);
      if (end > 0) {
        const out = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end);
        this.need = 0;
        return out;
      }
      // A bulk at the top: nothing to parse until all of it is here.
      const e = this.buf.indexOf('\r\n', 0, 'latin1');
      this.need = this.buf.length + 1;
      if (e > 0 && this.buf[0] === 0x24) this.need = Math.max(this.need, e + 2 + Number(this.buf.toString('latin1', 1, e)) + 2);
      if (this.closed) throw new Error(`connection closed; unread bytes: ${JSON.stringify(this.buf.toString('latin1', 0, 200))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no complete reply within ${timeoutMs} ms; buffered ${JSON.stringify(this.buf.toString('latin1', 0, 200))}`);
      await this.waitChange(left);
    }
  }

  /** The next reply as text, e.g. "+OK\r\n". */
  async readText(timeoutMs?: number): Promise<string> {
    return (await this.readRaw(timeoutMs)).toString('latin1');
  }

  async read(timeoutMs?: number): Promise<Value> {
    return parse3(await this.readRaw(timeoutMs));
  }

  /** Sends one command and reads its parsed reply. */
  async call(...argv: Argv): Promise<Value> {
    this.send(argv);
    return this.read();
  }

  /** Sends one command and reads its raw reply text. */
  async callText(...argv: Argv): Promise<string> {
    this.send(argv);
    return this.readText();
  }

  /** Reads `n` replies' raw text. */
  async readTexts(n: number, timeoutMs?: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(await this.readText(timeoutMs));
    return out;
  }

  /** True if the server closed the connection within `ms`. */
  async waitClosed(ms = 3000): Promise<boolean> {
    if (this.closed) return true;
    return Promise.race([this.closedPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  /** True if nothing at all arrived within `ms` (and the connection stayed open). */
  async quietFor(ms: number): Promise<boolean> {
    const before = this.bufferedLength;
    await new Promise((r) => setTimeout(r, ms));
    return this.bufferedLength === before && !this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Parses INFO text into section -> field -> value. */
export function parseInfo(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      current = new Map();
      sections.set(line.slice(2).toLowerCase(), current);
    } else if (line && current) {
      const at = line.indexOf(':');
      current.set(line.slice(0, at), line.slice(at + 1));
    }
  }
  return sections;
}
