// Loads the native core: a prebuilt binary from prebuilds/ when one matches this platform,
// otherwise the local build in build/Release (node-gyp-build's search order).
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeGypBuild: (dir: string) => unknown = require('node-gyp-build');

export interface NativeStats {
  instanceId: number;
  keys: number;
  storedKeys: number;
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
  execMany(commands: Arg[][]): Buffer;
  execResp(requests: Buffer): [Buffer, number, string | undefined];
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
}

export const binding: NativeBinding = nodeGypBuild(path.join(__dirname, '..')) as NativeBinding;
