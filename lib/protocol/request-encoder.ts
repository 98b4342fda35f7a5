// Encodes argv arrays as RESP multibulk requests into one reusable buffer, so that a batch
// crosses into the core as bytes (execResp) instead of as JS arrays: the core reads an
// argument out of a JS array with two Node-API calls, each a lookup through V8's generic
// paths, which cost a SET batch about as much as the write itself; writing it here with
// charCodeAt costs a few ns.

const INITIAL = 64 * 1024;
const KEEP = 1024 * 1024; // a buffer grown past this by one big batch is not kept
// Limits of the core's request parser (native/resp/request_parser.cc): commands beyond
// them take the array path, which has none.
const MAX_ARGS = 1024 * 1024;
const MAX_BULK = 512 * 1024 * 1024;
// Longer strings are written by Buffer#write (one call into C++, then memcpy speed).
const SHORT = 64;

export class RequestEncoder {
  private buf = Buffer.allocUnsafe(INITIAL);
  private pos = 0;

  /**
   * Encodes commands from the first on, stopping at one that only the array path takes (not
   * an array, empty, an argument other than a string, number or Uint8Array, or beyond the
   * parser's limits). Returns how many were encoded; take() hands them out.
   */
  encode(commands: readonly unknown[]): number {
    this.pos = 0;
    for (let i = 0; i < commands.length; i++) {
      const start = this.pos;
      if (!this.command(commands[i])) {
        this.pos = start;
        return i;
      }
    }
    return commands.length;
  }

  /** The bytes encoded; valid until the next encode(). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    if (this.buf.length > KEEP) this.buf = Buffer.allocUnsafe(INITIAL);
    return out;
  }

  private command(argv: unknown): boolean {
    if (!Array.isArray(argv) || argv.length === 0 || argv.length > MAX_ARGS) return false;
    this.reserve(16);
    this.pos = this.header(0x2a, argv.length, this.pos); // '*'
    for (let i = 0; i < argv.length; i++) {
      const a: unknown = argv[i];
      const ok =
        typeof a === 'string'
          ? this.string(a)
          : typeof a === 'number'
            ? this.string(String(a)) // what the array path's napi_coerce_to_string gives
            : a instanceof Uint8Array && this.bytes(a);
      if (!ok) return false;
    }
    return true;
  }

  private string(s: string): boolean {
    const n = s.length;
    if (n <= SHORT) {
      // ASCII (the common case) is n bytes: header first, then the characters.
      this.reserve(n + 16);
      const buf = this.buf;
      const p = this.header(0x24, n, this.pos); // '$'
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p + i] = c;
      }
      if (i === n) {
        this.pos = this.crlf(p + n);
        return true;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    if (len > MAX_BULK) return false;
    this.reserve(len + 16);
    const p = this.header(0x24, len, this.pos);
    // Lone surrogates become U+FFFD, as napi_get_value_string_utf8 makes them.
    this.buf.write(s, p, len, 'utf8');
    this.pos = this.crlf(p + len);
    return true;
  }

  private bytes(b: Uint8Array): boolean {
    if (b.length > MAX_BULK) return false;
    this.reserve(b.length + 16);
    const p = this.header(0x24, b.length, this.pos);
    this.buf.set(b, p);
    this.pos = this.crlf(p + b.length);
    return true;
  }

  /** Writes `<type><n>\r\n` at p; returns the position after it. */
  private header(type: number, n: number, p: number): number {
    const buf = this.buf;
    buf[p++] = type;
    if (n < 10) {
      buf[p++] = 0x30 + n;
    } else {
      const digits = String(n);
      for (let i = 0; i < digits.length; i++) buf[p++] = digits.charCodeAt(i);
    }
    return this.crlf(p);
  }

  private crlf(p: number): number {
    this.buf[p] = 0x0d;
    this.buf[p + 1] = 0x0a;
    return p + 2;
  }

  /** Room for `more` bytes after pos (a header takes at most 12: a type, 9 digits, CRLF). */
  private reserve(more: number): void {
    if (this.pos + more <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + more));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}
