// The replication backlog (native/backlog): the newest bytes of this instance's stream,
// by absolute offset, for readers that reconnect. Offsets as in Redis: masterReplOffset is
// the offset of the last byte; a reader asks for the next byte it wants.
//
// Appends happen here, into the native ring shared as an ArrayBuffer, moving the native
// position block (a Float64Array over it): every frame of the stream is appended, and a
// Node-API call costs more than copying a small one. TypedArray.set is a memcpy.
import { binding, type BacklogState, type NativeBacklog } from '../native';

export const DEFAULT_BACKLOG_SIZE = 1 << 20; // repl-backlog-size, as Redis

export class ReplicationBacklog {
  private readonly native: NativeBacklog;
  private ring: ArrayBuffer;
  private bytes: Uint8Array;
  private readonly pos: Float64Array; // [masterReplOffset, histlen, next]

  constructor(capacity = DEFAULT_BACKLOG_SIZE, masterReplOffset = 0) {
    this.native = new binding.Backlog(capacity, masterReplOffset);
    this.ring = this.native.ring();
    this.bytes = new Uint8Array(this.ring);
    this.pos = this.native.position();
  }

  /** Appends stream bytes (when more than the capacity, only the last capacity stay); returns the new masterReplOffset. */
  append(data: Uint8Array): number {
    if (!(data instanceof Uint8Array)) throw new TypeError('append(bytes: Buffer | Uint8Array)');
    const pos = this.pos;
    const capacity = this.bytes.length;
    const len = data.length;
    if (len >= capacity) {
      this.bytes.set(data.subarray(len - capacity));
      pos[1] = capacity;
      pos[2] = 0;
    } else {
      const next = pos[2]!;
      const first = capacity - next;
      if (len <= first) {
        this.bytes.set(data, next);
      } else {
        this.bytes.set(data.subarray(0, first), next);
        this.bytes.set(data.subarray(first));
      }
      pos[2] = (next + len) % capacity;
      pos[1] = Math.min(pos[1]! + len, capacity);
    }
    return (pos[0] = pos[0]! + len);
  }

  /** Whether a reader whose next wanted byte is `offset` can be served from the backlog. */
  holds(offset: number): boolean {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError('offset must be an integer from 0 to 2^53-1');
    const pos = this.pos;
    return offset >= pos[0]! - pos[1]! + 1 && offset <= pos[0]! + 1;
  }

  /**
   * The bytes from `offset` to the last, as views of the backlog's own memory (one, or two
   * when they wrap around; none when nothing is missing). They are overwritten by later
   * appends: write them out or copy them before the next append.
   */
  read(offset: number): Buffer[] {
    const s = this.native.spans(offset);
    const out: Buffer[] = [];
    for (let i = 0; i < s.length; i += 2) out.push(Buffer.from(this.ring, s[i], s[i + 1]));
    return out;
  }

  /** The same bytes copied into one Buffer of their own. */
  copy(offset: number): Buffer {
    const views = this.read(offset);
    const out = Buffer.allocUnsafe(views.reduce((n, v) => n + v.length, 0));
    let at = 0;
    for (const v of views) {
      out.set(v, at);
      at += v.length;
    }
    return out;
  }

  /** A new capacity (repl-backlog-size); the newest bytes that fit are kept. */
  resize(capacity: number): void {
    this.native.resize(capacity);
    this.ring = this.native.ring();
    this.bytes = new Uint8Array(this.ring);
  }

  /** Forgets every byte: the next one appended has offset masterReplOffset + 1. */
  reset(masterReplOffset: number): void {
    this.native.reset(masterReplOffset);
  }

  state(): BacklogState {
    const [masterReplOffset, histlen] = this.pos as unknown as [number, number];
    return { masterReplOffset, firstByteOffset: masterReplOffset - histlen + 1, histlen, capacity: this.capacity };
  }

  /** The offset of the last byte appended. */
  get masterReplOffset(): number {
    return this.pos[0]!;
  }

  get capacity(): number {
    return this.bytes.length;
  }
}
