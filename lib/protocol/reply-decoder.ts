// Decodes RESP2 replies produced by the native core into JS values for the embedded API:
// status -> string, error -> ReplyError, integer -> number (bigint beyond 2^53), bulk ->
// Buffer, nil -> null, array -> array.

export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

export type Reply = string | number | bigint | Buffer | null | ReplyError | Reply[];

const CR = 13;

export class ReplyDecoder {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  next(): Reply {
    const type = this.buf[this.pos++];
    switch (type) {
      case 0x2b: // '+'
        // '+OK' is most replies of a write batch: skip the string decoding.
        if (this.buf[this.pos] === 0x4f && this.buf[this.pos + 1] === 0x4b && this.buf[this.pos + 2] === CR) {
          this.pos += 4;
          return 'OK';
        }
        return this.line();
      case 0x2d: // '-'
        return new ReplyError(this.line());
      case 0x3a: // ':'
        return this.integer();
      case 0x24: { // '$'
        const len = Number(this.line());
        if (len < 0) return null;
        // A view, not a copy: every call into the core returns a fresh reply buffer.
        const value = this.buf.subarray(this.pos, this.pos + len);
        this.pos += len + 2;
        return value;
      }
      case 0x2a: { // '*'
        const n = Number(this.line());
        if (n < 0) return null;
        const out: Reply[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.next();
        return out;
      }
      default:
        throw new Error(`malformed reply from the native core at byte ${this.pos - 1}`);
    }
  }

  private line(): string {
    const end = this.buf.indexOf(CR, this.pos);
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private integer(): number | bigint {
    // Short integers are parsed in place; long ones may need a bigint.
    const buf = this.buf;
    let p = this.pos;
    const negative = buf[p] === 0x2d;
    if (negative) p++;
    let n = 0;
    const start = p;
    while (buf[p] !== CR && p - start < 15) n = n * 10 + (buf[p++] - 0x30);
    if (buf[p] === CR) {
      this.pos = p + 2;
      return negative ? -n : n;
    }
    const s = this.line();
    const big = Number(s);
    return Number.isSafeInteger(big) ? big : BigInt(s);
  }
}

export function decodeReplies(buf: Buffer): Reply[] {
  const d = new ReplyDecoder(buf);
  const out: Reply[] = [];
  while (!d.done()) out.push(d.next());
  return out;
}
