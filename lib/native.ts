// Loads the native core: a prebuilt binary from prebuilds/ when one matches this platform,
// otherwise the local build in build/Release (node-gyp-build's search order).
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeGypBuild: (dir: string) => unknown = require('node-gyp-build');

export interface NativeStats {
  instanceId: number;
  keys: number;
  storedKeys: number;
  volatileKeys: number;
  tombstones: number;
  contextCloud: number;
  effectsApplied: number;
  effectsEmitted: number;
  batchesApplied: number;
  snapshotsApplied: number;
  expiredDeleted: number;
  tombstonesCollected: number;
  commands: number;
  vectorClock: Record<string, number>;
}

export type Arg = string | Buffer | number;

export interface NativeKeyspace {
  exec(argv: Arg[]): Buffer;
  execMany(commands: Arg[][], resp3?: boolean): Buffer;
  execResp(
    requests: Buffer,
    resp3: boolean,
    queueAll: boolean,
    unauthenticated: boolean,
    replyArea?: Buffer,
    progress?: Float64Array,
  ): [Buffer | number, number, string | undefined, Buffer[]?];
  execBatch(requests: Buffer, resp3: boolean): Buffer;
  setProtoMaxBulkLen(bytes: number): void;
  setReadOnly(on: boolean, writeCommands?: string[]): void;
  pauseWrites(on: boolean, writeCommands?: string[]): void;
  commands(): [string, number][];
  watch(keys: Buffer[]): number;
  unwatch(keys: Buffer[]): void;
  watchChanged(keys: Buffer[], since: number, expiredAtWatch?: boolean[]): boolean;
  watchExpired(keys: Buffer[]): boolean[];
  drainEffects(): Buffer;
  recordEffects(on: boolean): void;
  applyEffects(buf: Buffer): void;
  snapshot(): Buffer;
  loadSnapshot(buf: Buffer): void;
  digest(): string;
  setTime(ms: number): void;
  activeExpire(budget?: number): number;
  stats(): NativeStats;
  close(): void;
  memoryUsage(): number;
  toRdb(options?: { crdt?: boolean; compress?: boolean; usedMemory?: number; aux?: Record<string, string> }): Buffer;
}

/** One record of an RDB file, as the native reader builds it. */
export type RdbRecord =
  | { kind: 'aux'; key: string | Buffer; value: string | Buffer }
  | { kind: 'function'; code: string | Buffer }
  | RdbKeyRecord;

export interface RdbKeyRecord {
  kind: 'key';
  db: number;
  key: string | Buffer;
  type: 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'module';
  /** The RDB encoding (listpack, intset, quicklist, ziplist, hashtable...). */
  encoding: string;
  expireAt: number | null;
  idle?: number;
  freq?: number;
  /** string: the text; list/set: items; zset: [member, score] pairs; hash: field, value, ...; stream: an object. */
  value: unknown;
  /** hashes with field TTLs: per field (in value order), unix ms or 0. */
  fieldExpireAt?: number[];
  module?: string;
}

export interface RdbSummary {
  version: number;
  bytes: number;
  keys: number;
  complete: boolean;
  /** Bytes held back for an incomplete unit, and units started short of bytes so far. */
  buffered: number;
  retries: number;
  aux: Record<string, string>;
  databases: Record<
    string,
    { keys: number; expires: number; types: Record<string, Record<string, number>> }
  >;
  functions: number;
  modules: Record<string, number>;
}

export interface NativeRdbReader {
  feed(chunk: Buffer): RdbRecord[];
  finish(): RdbRecord[];
  summary(): RdbSummary;
}

export interface RdbReaderOptions {
  /** Build records (default true); false only counts (summary()). */
  records?: boolean;
  verifyChecksum?: boolean;
  allowNewerVersion?: boolean;
}

/** What loading an RDB file did (RdbLoader.report()). */
export interface RdbLoadReport {
  version: number;
  bytes: number;
  keysRead: number;
  complete: boolean;
  /** Keys imported (modes 'writes' and 'resp') or joined (mode 'snapshot'). */
  keys: number;
  commands?: number;
  expiredKeys?: number;
  otherDbKeys?: number;
  fieldTtlsDropped?: number;
  expiredFields?: number;
  /** Reason -> keys (or records) left out: streams, module values, function libraries. */
  skipped?: Record<string, number>;
  errors?: number;
  errorSamples?: string[];
}

export interface RdbLoaderOptions {
  mode: 'writes' | 'resp' | 'snapshot';
  /** Unix ms: keys and hash fields whose TTL passed by then are not imported. */
  nowMs?: number;
  /** Import only this database (default: every one, all into db 0). */
  db?: number;
  batchItems?: number;
  verifyChecksum?: boolean;
  allowNewerVersion?: boolean;
  /**
   * Modes 'writes' and 'snapshot' (default true): while loading, a second thread populates
   * the heap just ahead of the allocations (Linux with glibc), so that the kernel's page
   * zeroing runs beside the load instead of in it. See docs/server.md.
   */
  prefaultHeap?: boolean;
}

export interface NativeRdbLoader {
  /** Mode 'resp': the commands of this chunk as RESP. */
  feed(chunk: Buffer): Buffer | undefined;
  finish(): Buffer | undefined;
  report(): RdbLoadReport;
}

export interface BacklogState {
  masterReplOffset: number;
  firstByteOffset: number;
  histlen: number;
  capacity: number;
}

export interface NativeBacklog {
  spans(offset: number): number[];
  ring(): ArrayBuffer;
  /** [masterReplOffset, histlen, next ring position], shared with the native backlog. */
  position(): Float64Array;
  resize(capacity: number): void;
  reset(masterReplOffset: number): void;
}

interface NativeBinding {
  NativeKeyspace: new (instanceId: number, manualClock: boolean, timeMs: number) => NativeKeyspace;
  RdbReader: new (options?: RdbReaderOptions) => NativeRdbReader;
  RdbLoader: new (keyspace: NativeKeyspace | null, options: RdbLoaderOptions) => NativeRdbLoader;
  Backlog: new (capacity: number, masterReplOffset: number) => NativeBacklog;
  mallocInUse(): number;
  globMatch(pattern: string, text: string): boolean;
}

export const binding: NativeBinding = nodeGypBuild(path.join(__dirname, '..')) as NativeBinding;
