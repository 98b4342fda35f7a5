// A connection's unparsed input. The common case keeps no copy: a read holding whole
// requests is parsed where it lies. Only a partial request is copied, into a buffer that
// doubles as it fills, so a large value arriving in many reads costs linear time.
const EMPTY = Buffer.alloc(0);

export class QueryBuffer {
  /** The bytes not yet consumed: a view of the last read or of the buffer below. */
  pending: Buffer = EMPTY;
  private store: Buffer = EMPTY;

  get length(): number {
    return this.pending.length;
  }

  append(chunk: Buffer): void {
    if (this.pending.length === 0) {
      this.pending = chunk;
      return;
    }
    const needed = this.pending.length + chunk.length;
    const start = this.pending.byteOffset - this.store.byteOffset;
    const inStore = this.pending.buffer === this.store.buffer && start >= 0 && start <= this.store.length;
    if (!inStore || start + needed > this.store.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed * 2, 16 * 1024));
      this.pending.copy(grown, 0);
      this.store = grown;
      this.pending = grown.subarray(0, this.pending.length);
    }
    const at = this.pending.byteOffset - this.store.byteOffset;
    chunk.copy(this.store, at + this.pending.length);
    this.pending = this.store.subarray(at, at + needed);
  }

  consume(n: number): void {
    this.pending = n === this.pending.length ? EMPTY : this.pending.subarray(n);
    if (this.pending.length === 0) this.store = EMPTY;
  }

  /**
   * After the last read was `chunk`, a buffer valid only during that read: whatever of it is
   * still pending is copied into a buffer of our own.
   */
  detachFrom(chunk: Buffer): void {
    if (this.pending.length === 0 || this.pending.buffer !== chunk.buffer) return;
    const rest = this.pending;
    this.pending = EMPTY;
    this.append(rest);
    if (this.pending === rest) this.pending = Buffer.from(rest);
  }
}
