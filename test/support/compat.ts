// Compatibility scripts: run each script of commands on a fresh real redis-server (the
// truth) and on a fresh Keyspace, and compare the replies command by command.
//
//   compatSuite('strings', {
//     'SET and GET': [['SET', 'k', 'v'], ['GET', 'k'], unordered('KEYS', '*'), near(1, 'TTL', 'k')],
//   });
//
// A plain argv compares raw RESP2 bytes. The wrappers below compare normalised replies
// where Redis leaves the order (or the pick) unspecified, or where time moves.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Keyspace } from '../../lib/index';
import {
  compareBytes,
  compareNear,
  comparePick,
  compareUnordered,
  itemKeys,
  show,
  showCommand,
  showDifference,
  type PickOptions,
} from './compare';
import { hasRedisServer, startRedisServer, type RedisServer } from './redis-server';
import { RespClient, splitReplies, type Arg, type Argv } from './resp';

type Check =
  | { kind: 'bytes' }
  | { kind: 'unordered'; pairs: boolean }
  | { kind: 'near'; tolerance: number }
  | { kind: 'pick'; universe: Argv; opts: PickOptions }
  | { kind: 'scan'; pairs: boolean };

export interface Step {
  cmd: Argv;
  check: Check;
}
export type ScriptItem = Argv | Step | { sleep: number };
export type Script = ScriptItem[];

/** Array reply compared in any order (SMEMBERS, KEYS, SUNION, HKEYS, HVALS...). */
export const unordered = (...cmd: Arg[]): Step => ({ cmd, check: { kind: 'unordered', pairs: false } });
/** Flat field/value array compared as unordered pairs (HGETALL). */
export const unorderedPairs = (...cmd: Arg[]): Step => ({ cmd, check: { kind: 'unordered', pairs: true } });
/** Integer reply within `tolerance` (TTL, PTTL, EXPIRETIME after a relative EXPIRE). */
export const near = (tolerance: number, ...cmd: Arg[]): Step => ({ cmd, check: { kind: 'near', tolerance } });
/** Random pick: same shape as Redis's reply, drawn from what `universe` lists (asked of Redis). */
export const pick = (universe: Argv, cmd: Argv, opts: PickOptions = {}): Step => ({
  cmd,
  check: { kind: 'pick', universe, opts },
});
/** A whole SCAN/HSCAN/SSCAN/ZSCAN iteration from cursor 0 (pass '0'); the union of pages is compared. */
export const scan = (cmd: Argv, opts: { pairs?: boolean } = {}): Step => ({
  cmd,
  check: { kind: 'scan', pairs: opts.pairs ?? false },
});
export const sleep = (ms: number) => ({ sleep: ms });

const toStep = (item: Argv | Step): Step => ('cmd' in item ? item : { cmd: item, check: { kind: 'bytes' } });

function check(step: Step, expected: Buffer, actual: Buffer, universe?: Buffer): string | null {
  const c = step.check;
  if (c.kind === 'unordered') return compareUnordered(expected, actual, c.pairs);
  if (c.kind === 'near') return compareNear(expected, actual, c.tolerance);
  if (c.kind === 'pick') return comparePick(expected, actual, universe!, c.opts);
  return compareBytes(expected, actual);
}

function mismatch(index: number, cmd: Argv, why: string, expected: Buffer, actual: Buffer): string {
  const diff = showDifference(expected, actual);
  return `step ${index}: ${showCommand(cmd)}\n    ${why}\n    redis:    ${show(expected)}\n    keyspace: ${show(actual)}${
    diff ? `\n    ${diff}` : ''
  }`;
}

const MAX_PAGES = 10_000;

/** Runs one script's steps against both sides and collects mismatches. */
class ScriptRun {
  readonly failures: string[] = [];
  private readonly ks = new Keyspace({ instanceId: 1 });
  private index = 0;

  constructor(private readonly redis: RespClient) {}

  private execKs(cmds: Argv[]): Buffer[] {
    let raw: Buffer;
    try {
      raw = this.ks.execRaw(cmds as Arg[][]);
    } catch (err) {
      const where = `steps ${this.index}..${this.index + cmds.length - 1}`;
      throw new Error(`keyspace.execRaw threw (${where}, first ${showCommand(cmds[0]!)}): ${String(err)}`);
    }
    const replies = splitReplies(raw);
    if (replies.length !== cmds.length) {
      throw new Error(`execRaw returned ${replies.length} replies for ${cmds.length} commands: ${show(raw, 400)}`);
    }
    return replies;
  }

  /** Plain, unordered, near and pick steps, pipelined to Redis and batched into one execRaw. */
  async batch(steps: Step[]): Promise<void> {
    if (steps.length === 0) return;
    const redisCmds: Argv[] = steps.flatMap((s) => (s.check.kind === 'pick' ? [s.check.universe, s.cmd] : [s.cmd]));
    const redisReplies = await this.redis.send(redisCmds);
    const ksReplies = this.execKs(steps.map((s) => s.cmd));
    let r = 0;
    steps.forEach((step, i) => {
      const universe = step.check.kind === 'pick' ? redisReplies[r++] : undefined;
      const expected = redisReplies[r++]!;
      const why = check(step, expected, ksReplies[i]!, universe);
      if (why) this.failures.push(mismatch(this.index + i, step.cmd, why, expected, ksReplies[i]!));
    });
    this.index += steps.length;
  }

  /** Full cursor iteration on each side; compares the union of returned items. */
  async scan(step: Step & { check: { kind: 'scan' } }): Promise<void> {
    const cursorAt = String(step.cmd[0]).toUpperCase() === 'SCAN' ? 1 : 2;
    const iterate = async (exec: (cmd: Argv) => Promise<Buffer>) => {
      const items = new Map<string, Buffer>();
      let cursor: Arg = step.cmd[cursorAt]!;
      for (let page = 0; ; page++) {
        if (page === MAX_PAGES) return { raw: Buffer.from(`cursor not back to 0 after ${page} pages`), items: null };
        const cmd = [...step.cmd];
        cmd[cursorAt] = cursor;
        const raw = await exec(cmd);
        const parts = itemKeys(raw, false);
        const found = parts?.length === 2 ? itemKeys(parts[1]!, step.check.pairs) : null;
        if (!found) return { raw, items: null };
        for (const item of found) items.set(item.toString('latin1'), item);
        cursor = parts![0]!.subarray(parts![0]!.indexOf('\r\n') + 2, -2);
        if (cursor.toString() === '0') break;
      }
      const list = [...items.values()];
      const itemsRaw = Buffer.concat([Buffer.from(`*${list.length}\r\n`), ...list.sort(Buffer.compare)]);
      return { raw: itemsRaw, items: list };
    };
    const expected = await iterate(async (cmd) => (await this.redis.send([cmd]))[0]!);
    const actual = await iterate(async (cmd) => this.execKs([cmd])[0]!);
    if (!expected.raw.equals(actual.raw)) {
      const why = expected.items ? 'items differ (whole iteration, deduplicated, sorted)' : 'replies differ';
      this.failures.push(mismatch(this.index, step.cmd, why, expected.raw, actual.raw));
    }
    this.index++;
  }
}

/** Mismatches listed per script; later ones are often knock-on effects of the first. */
const MAX_SHOWN = 12;

async function runScript(redis: RespClient, script: Script): Promise<void> {
  await redis.send([['FLUSHALL']]);
  const run = new ScriptRun(redis);
  let pending: Step[] = [];
  const flush = async () => {
    await run.batch(pending);
    pending = [];
  };
  for (const item of script) {
    if ('sleep' in item) {
      await flush();
      await new Promise((r) => setTimeout(r, item.sleep));
      continue;
    }
    const step = toStep(item as Argv | Step);
    if (step.check.kind === 'scan') {
      await flush();
      await run.scan(step as Step & { check: { kind: 'scan' } });
    } else {
      pending.push(step);
    }
  }
  await flush();
  const n = run.failures.length;
  if (n) {
    const shown = run.failures.slice(0, MAX_SHOWN);
    if (n > MAX_SHOWN) shown.push(`... and ${n - MAX_SHOWN} more`);
    throw new Error(`${n} repl${n === 1 ? 'y differs' : 'ies differ'} from redis-server:\n  ${shown.join('\n  ')}`);
  }
}

/** One describe per command family: one redis-server for the file, one test per script. */
export function compatSuite(family: string, scripts: Record<string, Script>): void {
  describe.skipIf(!hasRedisServer)(`compat with redis-server: ${family}`, () => {
    let server: RedisServer | undefined;
    let redis: RespClient | undefined;
    beforeAll(async () => {
      server = await startRedisServer();
      redis = await RespClient.connect(server.port);
    }, 20_000);
    afterAll(async () => {
      await redis?.close();
      await server?.stop();
    });
    for (const [title, script] of Object.entries(scripts)) {
      it(title, () => runScript(redis!, script));
    }
  });
}
