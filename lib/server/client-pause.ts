// Pausing clients, as Redis 7 does for CLIENT PAUSE and FAILOVER. While writes are paused a
// client that sends a write (or an EXEC with one) is held, with its request, until the
// pause ends; reads go on. While everything is paused every request of a normal client is
// held. Replicas are never paused, and neither is the replication stream. Active expiry
// waits too: it would write.
import type { Client } from './client';

export type PauseMode = 'write' | 'all';

export class ClientPause {
  private writeUntil = 0;
  private allUntil = 0;
  /** FAILOVER's pause: until it ends, no deadline. */
  private failover = false;
  private timer?: NodeJS.Timeout;
  private readonly held = new Set<Client>();

  constructor(private readonly changed: (writes: boolean) => void) {}

  get writes(): boolean {
    return this.failover || this.all || (this.writeUntil !== 0 && this.writeUntil > Date.now());
  }

  get all(): boolean {
    return this.allUntil !== 0 && this.allUntil > Date.now();
  }

  /** CLIENT PAUSE: a longer or stronger pause wins, as in Redis. */
  pause(mode: PauseMode, ms: number): void {
    const until = Date.now() + ms;
    if (mode === 'all') this.allUntil = Math.max(this.allUntil, until);
    else this.writeUntil = Math.max(this.writeUntil, until);
    this.reschedule();
  }

  setFailover(on: boolean): void {
    this.failover = on;
    this.reschedule();
  }

  /** CLIENT UNPAUSE. */
  unpause(): void {
    this.writeUntil = 0;
    this.allUntil = 0;
    this.reschedule();
  }

  /** Holds a client with the request it sent; it goes on when the pause ends. */
  hold(client: Client, request: Buffer[], write: boolean): void {
    client.hold(request, write);
    this.held.add(client);
  }

  forget(client: Client): void {
    this.held.delete(client);
  }

  // Tells the keyspace, and lets held clients go once nothing that holds them is left.
  private reschedule(): void {
    clearTimeout(this.timer);
    const now = Date.now();
    const next = [this.writeUntil, this.allUntil].filter((t) => t > now);
    if (next.length) this.timer = setTimeout(() => this.reschedule(), Math.min(...next) - now);
    this.changed(this.writes);
    const released = [...this.held].filter((c) => !this.all && !(this.writes && c.heldForWrite));
    for (const c of released) {
      this.held.delete(c);
      c.release();
    }
  }
}
