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
  commands(): [string, number][];
  watch(keys: Buffer[]): number;
  unwatch(keys: Buffer[]): void;
  watchChanged(keys: Buffer[], since: number): boolean;
  drainEffects(): Buffer;
  applyEffects(buf: Buffer): void;
  snapshot(): Buffer;
  loadSnapshot(buf: Buffer): void;
  digest(): string;
  setTime(ms: number): void;
  activeExpire(budget?: number): number;
  stats(): NativeStats;
  close(): void;
  memoryUsage(): number;
}

interface NativeBinding {
  NativeKeyspace: new (instanceId: number, manualClock: boolean, timeMs: number) => NativeKeyspace;
  mallocInUse(): number;
  globMatch(pattern: string, text: string): boolean;
}

export const binding: NativeBinding = nodeGypBuild(path.join(__dirname, '..')) as NativeBinding;
