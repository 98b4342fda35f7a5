// What the figures were measured on, and a gc() for the benches.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { redisServerBin } from '../test/support/redis-server';

export const root = path.join(__dirname, '..');

/** The median of the samples that are numbers (NaN when none is). */
export function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** Runs `fn` `rounds` times: the median seconds, and (slowest - fastest) / median. */
export function timeRounds(rounds: number, fn: () => void): { seconds: number; spread: number } {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const m = median(times);
  return { seconds: m, spread: (Math.max(...times) - Math.min(...times)) / m };
}

const clockTicks = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout?.trim()) || 100;
})();

/** CPU seconds (user + system) a process has used so far, from /proc; NaN elsewhere. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / clockTicks; // utime, stime: fields 14 and 15
  } catch {
    return NaN;
  }
}

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export interface Machine {
  cpu: string;
  cores: number;
  memGB: number;
  os: string;
  node: string;
  v8: string;
  redis?: string;
  nativeBinary: string;
  commit?: string;
}

export function machine(): Machine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const binary = (require('node-gyp-build') as { path(dir: string): string }).path(root);
  const commit = run('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['status', '--porcelain', '--', 'native', 'lib']) ? '+dirty' : '';
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    v8: process.versions.v8,
    redis: redisServerBin && run(redisServerBin, ['--version'])?.match(/v=(\S+)/)?.[1],
    nativeBinary: path.relative(root, binary),
    commit: commit && commit + dirty,
  };
}

/** A full GC. Works without --expose-gc. */
export const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();
