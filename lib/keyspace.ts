// The embedded API: one instance's CRDT keyspace, in process. See docs/embedded-api.md.
import {
  binding,
  type Arg,
  type NativeKeyspace,
  type NativeRdbLoader,
  type NativeStats,
  type RdbLoaderOptions,
} from './native';
import { ReplyDecoder, ReplyError, decodeReplies, type Reply } from './protocol/reply-decoder';
import { RequestEncoder } from './protocol/request-encoder';

// One for all keyspaces: a batch is encoded and run before the next one starts.
const encoder = new RequestEncoder();

export interface KeyspaceOptions {
  /** This instance's id, 1..65535, unique in the database. */
  instanceId: number;
  /** Unix ms. When given, the wall clock is manual and moves only with setTime(). */
  time?: number;
}

export type KeyspaceStats = NativeStats;

export interface RdbWriteOptions {
  /** 'plain' (default): the visible data as plain Redis types; 'crdt': full CRDT state, for full syncs. */
  form?: 'plain' | 'crdt';
  /** LZF-compress strings as Redis does (default true). */
  compress?: boolean;
  /** More aux fields (repl-id, repl-offset, repl-stream-db...). */
  aux?: Record<string, string>;
}

export interface RespBatch {
  replies: Buffer;
  consumed: number;
  protocolError?: string;
  handOver?: Buffer[];
}

export class Keyspace {
  private readonly native: NativeKeyspace;
  private arities?: Map<string, number>;
  private readOnlyReplica = false;

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
    return decodeReplies(this.execRaw(commands));
  }

  /** Runs commands in order; returns their replies back to back, in RESP2 or RESP3. */
  execRaw(commands: Arg[][], options: { resp3?: boolean } = {}): Buffer {
    const resp3 = options.resp3 === true;
    if (!Array.isArray(commands)) return this.native.execMany(commands, resp3); // throws its TypeError
    // As RESP bytes (much cheaper for the core to read) up to a command only the array path
    // takes; that one and the rest go the array path, which also throws its TypeErrors.
    const encoded = encoder.encode(commands);
    const replies = this.native.execBatch(encoder.take(), resp3);
    if (encoded === commands.length) return replies;
    return Buffer.concat([replies, this.native.execMany(commands.slice(encoded), resp3)]);
  }

  /**
   * Runs the complete requests (RESP or inline) at the start of `requests`, a socket read,
   * and stops at the first command that is not a keyspace command (or at every command,
   * with `queueAll`): that one comes back as `handOver`, for the server to run. Returns the
   * replies, how many bytes were consumed, and a protocol error if the input is malformed.
   */
  execResp(requests: Buffer, options: { resp3?: boolean; queueAll?: boolean; unauthenticated?: boolean } = {}): RespBatch {
    return this.execRespFast(requests, options.resp3 === true, options.queueAll === true, options.unauthenticated === true);
  }

  /**
   * execResp without the options object, for the server's read loop. `unauthenticated`
   * applies Redis's limits for a client that has not authenticated (10 arguments of 16 KB).
   * With `replyArea`, replies that fit are written into it and `replies` is a view of it,
   * valid until the next call that is given the same area. `progress` (two numbers a
   * connection keeps, zero at first) remembers how far an incomplete request at the start
   * of `requests` was read, for the next call on the same input grown by a read.
   */
  execRespFast(
    requests: Buffer,
    resp3: boolean,
    queueAll: boolean,
    unauthenticated: boolean,
    replyArea?: Buffer,
    progress?: Float64Array,
  ): RespBatch {
    const [out, consumed, protocolError, handOver] = this.native.execResp(requests, resp3, queueAll, unauthenticated, replyArea, progress);
    const replies = typeof out === 'number' ? replyArea!.subarray(0, out) : out;
    return { replies, consumed, protocolError, handOver };
  }

  /** Whether the keyspace executes the command `name` (any case); its arity if so. */
  commandArity(name: string): number | undefined {
    if (!this.arities) this.arities = new Map(this.native.commands());
    return this.arities.get(name.toLowerCase());
  }

  /** The keyspace's commands and their arities (Redis's convention). */
  commands(): [string, number][] {
    return this.native.commands();
  }

  /** The largest argument execResp accepts (Redis's proto-max-bulk-len). */
  setProtoMaxBulkLen(bytes: number): void {
    this.native.setProtoMaxBulkLen(bytes);
  }

  /**
   * A read-only replica refuses the commands in `writeCommands` (given once, kept) with
   * Redis's READONLY error, and hides expired keys without deleting them.
   */
  setReadOnly(on: boolean, writeCommands?: string[]): void {
    this.native.setReadOnly(on, writeCommands);
    this.readOnlyReplica = on;
  }

  get readOnly(): boolean {
    return this.readOnlyReplica;
  }

  /** While on, execResp hands every command in `writeCommands` back as `handOver` instead of running it. */
  pauseWrites(on: boolean, writeCommands?: string[]): void {
    this.native.pauseWrites(on, writeCommands);
  }

  /**
   * WATCH: registers the keys and returns the change number to give watchChanged() at
   * EXEC. Every watch() needs an unwatch() of the same keys.
   */
  watch(keys: Buffer[]): number {
    return this.native.watch(keys);
  }

  unwatch(keys: Buffer[]): void {
    this.native.unwatch(keys);
  }

  /** Per key, whether its TTL has already passed: what WATCH records for EXEC. */
  watchExpired(keys: Buffer[]): boolean[] {
    return this.native.watchExpired(keys);
  }

  /**
   * Whether any key changed (here or by a peer's effect) after `since`, or its TTL passed.
   * A key flagged in `expiredAtWatch` (from watchExpired() at WATCH time) counts as changed
   * only when it has been written since: as in Redis 7.0, its expiry or deletion does not.
   */
  watchChanged(keys: Buffer[], since: number, expiredAtWatch?: boolean[]): boolean {
    return this.native.watchChanged(keys, since, expiredAtWatch);
  }

  drainEffects(): Buffer {
    return this.native.drainEffects();
  }

  /**
   * Whether local writes are encoded as effects for drainEffects() (on by default). A
   * keyspace whose effects nobody drains can turn it off; turned on again, it records the
   * writes from then on, so a new peer or replica starts from a snapshot taken after that.
   */
  recordEffects(on: boolean): void {
    this.native.recordEffects(on);
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

  /** The keyspace as an RDB file (version 10, what Redis 7.0 writes); see docs/rdb.md. */
  toRdb(options: RdbWriteOptions = {}): Buffer {
    return this.native.toRdb({
      crdt: options.form === 'crdt',
      compress: options.compress !== false,
      usedMemory: binding.mallocInUse(),
      aux: options.aux ?? {},
    });
  }

  /**
   * A loader to feed an RDB file in chunks: mode 'writes' imports plain Redis values as local
   * writes (they replicate; drain the effects as you go), mode 'snapshot' joins the CRDT form
   * that toRdb({ form: 'crdt' }) writes.
   */
  rdbLoader(options: Omit<RdbLoaderOptions, 'mode'> & { mode: 'writes' | 'snapshot' }): NativeRdbLoader {
    return new binding.RdbLoader(this.native, { nowMs: Date.now(), ...options });
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
