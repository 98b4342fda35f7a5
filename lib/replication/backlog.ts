// The replication backlog (native/backlog): the newest bytes of this instance's stream,
// by absolute offset, for readers that reconnect. Offsets as in Redis: masterReplOffset is
// the offset of the last byte; a reader asks for the next byte it wants.
import { binding, type BacklogState, type NativeBacklog } from '../native';

export const DEFAULT_BACKLOG_SIZE = 1 << 20; // repl-backlog-size, as Redis

export class ReplicationBacklog {
  private readonly native: NativeBacklog;
  private ring: ArrayBuffer;

  constructor(capacity = DEFAULT_BACKLOG_SIZE, masterReplOffset = 0) {
    this.native = new binding.Backlog(capacity, masterReplOffset);
    this.ring = this.native.ring();
  }

  /** Appends stream bytes; returns the new masterReplOffset. */
  append(bytes: Buffer): number {
    return this.native.append(bytes);
  }

  /** Whether a reader whose next wanted byte is `offset` can be served from the backlog. */
  holds(offset: number): boolean {
    return this.native.holds(offset);
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
    return views.length === 1 ? Buffer.from(views[0]) : Buffer.concat(views);
  }

  /** A new capacity (repl-backlog-size); the newest bytes that fit are kept. */
  resize(capacity: number): void {
    this.native.resize(capacity);
    this.ring = this.native.ring();
  }

  /** Forgets every byte: the next one appended has offset masterReplOffset + 1. */
  reset(masterReplOffset: number): void {
    this.native.reset(masterReplOffset);
  }

  state(): BacklogState {
    return this.native.state();
  }
}
