// A replica attached to this master: the client connection that sent PSYNC or SYNC, seen
// from the master. It is fed the stream, acknowledges offsets, and is cut off when it
// stops reading (the replica output limit), as a Redis master treats a replica client.
import type { Client } from '../server/client';

/** What REPLCONF told the master before PSYNC. */
export interface ReplconfState {
  listeningPort: number;
  ipAddress?: string;
  capa: Set<string>;
  /** redis-cli --rdb: a snapshot, then the connection ends. */
  rdbOnly: boolean;
}

export type AttachedState = 'send_bulk' | 'online';

export class AttachedReplica {
  state: AttachedState = 'online';
  /** The offset the replica last acknowledged (REPLCONF ACK), and when. */
  ackOffset = 0;
  ackAt = Date.now();
  // Bytes queued on the socket in total, and where the RDB transfer ends among them: the
  // snapshot is not output buffer (Redis does not count it against the limit either).
  private queued = 0;
  private rdbEnd = 0;

  constructor(
    readonly client: Client,
    readonly replconf: ReplconfState,
    /** The offset of the last stream byte sent to it (or that its snapshot covers). */
    public sentUpTo: number,
  ) {}

  /** host:port the replica listens on, as INFO and ROLE report it. */
  get ip(): string {
    return this.replconf.ipAddress ?? this.client.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?';
  }

  get port(): number {
    return this.replconf.listeningPort;
  }

  /** Queues a full sync's payload (reply line, bulk header, RDB). */
  sendSnapshot(parts: Buffer[]): void {
    this.state = 'send_bulk';
    parts.forEach((p, i) => this.write(p, i === parts.length - 1 ? () => (this.state = 'online') : undefined));
    this.rdbEnd = this.queued;
  }

  write(bytes: Buffer, written?: () => void): void {
    if (this.client.closing) return;
    this.queued += bytes.length;
    this.client.socket.write(bytes, written);
  }

  /** Stream bytes waiting in the socket's buffer (the snapshot excluded). */
  outputBuffered(): number {
    const sent = this.queued - this.client.socket.writableLength;
    return this.client.socket.writableLength - Math.max(0, this.rdbEnd - sent);
  }

  ack(offset: number): void {
    if (offset > this.ackOffset) this.ackOffset = offset;
    this.ackAt = Date.now();
  }

  /** Seconds since the last ACK (INFO's lag). */
  lag(now = Date.now()): number {
    return Math.floor((now - this.ackAt) / 1000);
  }
}
