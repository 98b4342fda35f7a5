// Replies of the commands the server runs itself (connection, server and transaction
// commands), in the connection's protocol. The keyspace writes its own replies natively;
// this writer is for the few that are answered in TypeScript, so it favours clarity.

export type Protocol = 2 | 3;

export class RespWriter {
  private readonly parts: (string | Buffer)[] = [];

  constructor(public protocol: Protocol) {}

  /** HELLO and RESET answer in the protocol they switch to. */
  retarget(protocol: Protocol): this {
    this.protocol = protocol;
    return this;
  }

  get resp3(): boolean {
    return this.protocol === 3;
  }

  status(s: string): this {
    return this.push(`+${s}\r\n`);
  }
  ok(): this {
    return this.push('+OK\r\n');
  }
  error(s: string): this {
    return this.push(`-${s.replace(/[\r\n]/g, ' ')}\r\n`);
  }
  integer(n: number | bigint): this {
    return this.push(`:${n}\r\n`);
  }
  bulk(s: string | Buffer): this {
    const b = typeof s === 'string' ? Buffer.from(s) : s;
    this.push(`$${b.length}\r\n`);
    this.push(b);
    return this.push('\r\n');
  }
  null(): this {
    return this.push(this.resp3 ? '_\r\n' : '$-1\r\n');
  }
  nullArray(): this {
    return this.push(this.resp3 ? '_\r\n' : '*-1\r\n');
  }
  array(n: number): this {
    return this.push(`*${n}\r\n`);
  }
  /** n field/value pairs: a RESP3 map, a flat array in RESP2. */
  map(n: number): this {
    return this.push(this.resp3 ? `%${n}\r\n` : `*${2 * n}\r\n`);
  }
  set(n: number): this {
    return this.push(this.resp3 ? `~${n}\r\n` : `*${n}\r\n`);
  }
  /** Text meant for people (INFO, CLIENT INFO): a RESP3 verbatim string, a bulk in RESP2. */
  verbatim(text: string): this {
    if (!this.resp3) return this.bulk(text);
    const b = Buffer.from(text);
    return this.push(`=${b.length + 4}\r\ntxt:`).push(b).push('\r\n');
  }
  /** Bytes another writer (or the keyspace) produced, spliced in as they are. */
  raw(b: Buffer | string): this {
    return this.push(b);
  }
  /** A JS value: strings as bulk, numbers as integers, null, nested arrays and maps. */
  value(v: RespValue): this {
    if (v === null) return this.null();
    if (typeof v === 'number' || typeof v === 'bigint') return this.integer(v);
    if (typeof v === 'string' || Buffer.isBuffer(v)) return this.bulk(v);
    if (Array.isArray(v)) {
      this.array(v.length);
      for (const item of v) this.value(item);
      return this;
    }
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    this.map(entries.length);
    for (const [k, item] of entries) this.bulk(k).value(item);
    return this;
  }

  isEmpty(): boolean {
    return this.parts.length === 0;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  }

  private push(p: string | Buffer): this {
    this.parts.push(p);
    return this;
  }
}

export type RespValue =
  | null
  | number
  | bigint
  | string
  | Buffer
  | RespValue[]
  | Map<string, RespValue>
  | { [field: string]: RespValue };
