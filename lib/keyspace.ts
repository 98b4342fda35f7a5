// The embedded API: one instance's CRDT keyspace, in process. See docs/embedded-api.md.
import { binding, type Arg, type NativeKeyspace, type NativeStats } from './native';
import { ReplyDecoder, ReplyError, decodeReplies, type Reply } from './protocol/reply-decoder';

export interface KeyspaceOptions {
  /** This instance's id, 1..65535, unique in the database. */
  instanceId: number;
  /** Unix ms. When given, the wall clock is manual and moves only with setTime(). */
  time?: number;
}

export type KeyspaceStats = NativeStats;

export class Keyspace {
  private readonly native: NativeKeyspace;

  constructor(options: KeyspaceOptions) {
    if (!options || typeof options.instanceId !== 'number') {
      throw new TypeError('new Keyspace({ instanceId }) needs a numeric instanceId');
    }
    const manual = options.time !== undefined;
    if (manual && !Number.isFinite(options.time)) throw new TypeError('time must be a finite number of ms');
    this.native = new binding.NativeKeyspace(options.instanceId, manual, manual ? Number(options.time) : 0);
  }

  static fromSnapshot(snapshot: Buffer, options: KeyspaceOptions): Keyspace {
    const ks = new Keyspace(options);
    ks.native.loadSnapshot(snapshot);
    return ks;
  }

  /** Runs one command; an error reply is thrown as a ReplyError. */
  exec(argv: Arg[]): Reply {
    const reply = new ReplyDecoder(this.native.exec(argv)).next();
    if (reply instanceof ReplyError) throw reply;
    return reply;
  }

  /** Runs commands in order in one crossing; error replies are ReplyError values. */
  execMany(commands: Arg[][]): Reply[] {
    return decodeReplies(this.native.execMany(commands));
  }

  /** Runs commands in order; returns their RESP2 replies back to back. */
  execRaw(commands: Arg[][]): Buffer {
    return this.native.execMany(commands);
  }

  /**
   * Runs the complete RESP requests at the start of `requests` (a socket read). Returns
   * the replies, how many bytes were consumed, and a protocol error if the input is malformed.
   */
  execResp(requests: Buffer): { replies: Buffer; consumed: number; protocolError?: string } {
    const [replies, consumed, protocolError] = this.native.execResp(requests);
    return protocolError === undefined ? { replies, consumed } : { replies, consumed, protocolError };
  }

  drainEffects(): Buffer {
    return this.native.drainEffects();
  }

  applyEffects(effects: Buffer): void {
    if (!Buffer.isBuffer(effects)) throw new TypeError('applyEffects(buf) needs a Buffer');
    this.native.applyEffects(effects);
  }

  snapshot(): Buffer {
    return this.native.snapshot();
  }

  digest(): string {
    return this.native.digest();
  }

  setTime(ms: number): void {
    this.native.setTime(ms);
  }

  /** Deletes up to `budget` expired keys whose expiry this instance owns; returns how many. */
  activeExpire(budget = 1000): number {
    return this.native.activeExpire(budget);
  }

  stats(): KeyspaceStats {
    return this.native.stats();
  }

  /** An estimate of the native bytes this keyspace holds; walks every key. */
  memoryUsage(): number {
    return this.native.memoryUsage();
  }

  /** Frees the native data now; any later call throws. */
  close(): void {
    this.native.close();
  }
}

export { ReplyError, type Reply };
