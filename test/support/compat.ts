// Compatibility scripts: run each script of commands on a fresh real redis-server (the
// truth) and on this project, and compare the replies command by command. Each script
// runs in three modes, each its own test:
//
//   keyspace      an embedded Keyspace (execRaw), RESP2 bytes
//   server resp2  this project's Server over a real socket, RESP2
//   server resp3  the same after HELLO 3 on both sides, RESP3 bytes
//
//   compatSuite('strings', {
//     'SET and GET': [['SET', 'k', 'v'], ['GET', 'k'], unordered('KEYS', '*'), near(1, 'TTL', 'k')],
//   });
//
// A plain argv compares raw bytes. The wrappers below compare normalised replies
// where Redis leaves the order (or the pick) unspecified, or where time moves; they
// understand RESP3 sets, maps and pair arrays (see compare.ts).
//
// One redis-server and one Server per file; every test opens its own connections (so
// connection state such as MULTI, CLIENT SETNAME or HELLO never leaks between scripts)
// and starts with FLUSHALL. COMPAT_MODES=keyspace,resp3 (any of keyspace, resp2, resp3)
// runs only some modes.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Keyspace, type ServerOptions } from '../../lib/index';
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
import { startServer, type RunningServer } from './server';

export type Mode = 'keyspace' | 'server resp2' | 'server resp3';
export const ALL_MODES: readonly Mode[] = ['keyspace', 'server resp2', 'server resp3'];
/** The modes that talk to this project's Server (for scripts of server commands). */
export const SERVER_MODES: readonly Mode[] = ['server resp2', 'server resp3'];

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

/** Array (or RESP3 set) reply compared in any order (SMEMBERS, KEYS, SUNION, HKEYS, HVALS...). */
export const unordered = (...cmd: Arg[]): Step => ({ cmd, check: { kind: 'unordered', pairs: false } });
/** Flat field/value array (RESP3: map or array of pairs) compared as unordered pairs (HGETALL). */
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
  return `step ${index}: ${showCommand(cmd)}\n    ${why}\n    redis: ${show(expected)}\n    ours:  ${show(actual)}${
    diff ? `\n    ${diff}` : ''
  }`;
}

/** How long one pipelined batch may wait for its replies before the test gives up. */
const REPLY_TIMEOUT_MS = 15_000;

function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no complete reply within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** This project's side of a run: pipelined commands in, one raw reply per command out. */
interface Ours {
  exec(cmds: Argv[], firstIndex: number): Promise<Buffer[]>;
}

/** The embedded keyspace: the whole batch in one execRaw. */
function keyspaceSide(): Ours {
  const ks = new Keyspace({ instanceId: 1 });
  return {
    async exec(cmds, firstIndex) {
      let raw: Buffer;
      try {
        raw = ks.execRaw(cmds as Arg[][]);
      } catch (err) {
        const where = `steps ${firstIndex}..${firstIndex + cmds.length - 1}`;
        throw new Error(`keyspace.execRaw threw (${where}, first ${showCommand(cmds[0]!)}): ${String(err)}`);
      }
      const replies = splitReplies(raw);
      if (replies.length !== cmds.length) {
        throw new Error(`execRaw returned ${replies.length} replies for ${cmds.length} commands: ${show(raw, 400)}`);
      }
      return replies;
    },
  };
}

/** The server over a socket. */
function serverSide(client: RespClient): Ours {
  return { exec: (cmds, firstIndex) => withTimeout(`our server (steps from ${firstIndex})`, client.send(cmds)) };
}

const MAX_PAGES = 10_000;

/** Runs one script's steps against both sides and collects mismatches. */
class ScriptRun {
  readonly failures: string[] = [];
  private index = 0;

  constructor(
    private readonly redis: RespClient,
    private readonly ours: Ours,
  ) {}

  /** Plain, unordered, near and pick steps, pipelined to both sides at once. */
  async batch(steps: Step[]): Promise<void> {
    if (steps.length === 0) return;
    const redisCmds: Argv[] = steps.flatMap((s) => (s.check.kind === 'pick' ? [s.check.universe, s.cmd] : [s.cmd]));
    const [redisReplies, ourReplies] = await Promise.all([
      withTimeout(`redis-server (steps from ${this.index})`, this.redis.send(redisCmds)),
      this.ours.exec(
        steps.map((s) => s.cmd),
        this.index,
      ),
    ]);
    let r = 0;
    steps.forEach((step, i) => {
      const universe = step.check.kind === 'pick' ? redisReplies[r++] : undefined;
      const expected = redisReplies[r++]!;
      const why = check(step, expected, ourReplies[i]!, universe);
      if (why) this.failures.push(mismatch(this.index + i, step.cmd, why, expected, ourReplies[i]!));
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
    const expected = await iterate(async (cmd) => (await withTimeout('redis-server', this.redis.send([cmd])))[0]!);
    const actual = await iterate(async (cmd) => (await this.ours.exec([cmd], this.index))[0]!);
    if (!expected.raw.equals(actual.raw)) {
      const why = expected.items ? 'items differ (whole iteration, deduplicated, sorted)' : 'replies differ';
      this.failures.push(mismatch(this.index, step.cmd, why, expected.raw, actual.raw));
    }
    this.index++;
  }
}

/** Mismatches listed per script; later ones are often knock-on effects of the first. */
const MAX_SHOWN = 12;

async function runScript(redis: RespClient, ours: Ours, script: Script): Promise<void> {
  const run = new ScriptRun(redis, ours);
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

function selectedModes(modes: readonly Mode[]): Mode[] {
  const env = process.env.COMPAT_MODES;
  if (!env) return [...modes];
  const wanted = env.split(',').map((m) => m.trim());
  return modes.filter((m) => wanted.includes(m) || wanted.includes(m.replace('server ', '')));
}

export interface SuiteOptions {
  /** Which modes to run (default: all three). */
  modes?: readonly Mode[];
  /** Options of this project's Server (the port is always a free one). */
  server?: ServerOptions;
}

/**
 * One describe per command family: one redis-server and one of our servers for the
 * file, one test per script and mode ("SET and GET [server resp3]").
 */
export function compatSuite(family: string, scripts: Record<string, Script>, options: SuiteOptions = {}): void {
  const modes = selectedModes(options.modes ?? ALL_MODES);
  describe.skipIf(!hasRedisServer)(`compat with redis-server: ${family}`, () => {
    let redisServer: RedisServer | undefined;
    let ourServer: RunningServer | undefined;
    beforeAll(async () => {
      const needsServer = modes.some((m) => m !== 'keyspace');
      [redisServer, ourServer] = await Promise.all([
        startRedisServer(),
        needsServer ? startServer(options.server) : Promise.resolve(undefined),
      ]);
    }, 20_000);
    afterAll(async () => {
      await Promise.all([redisServer?.stop(), ourServer?.stop()]);
    });

    const runIn = async (mode: Mode, script: Script) => {
      const protocol = mode === 'server resp3' ? 3 : 2;
      const clients: RespClient[] = [];
      try {
        const redis = await RespClient.connect(redisServer!.port, '127.0.0.1', { protocol });
        clients.push(redis);
        let ours: Ours;
        if (mode === 'keyspace') {
          ours = keyspaceSide();
        } else {
          const client = await RespClient.connect(ourServer!.port, '127.0.0.1', { protocol });
          clients.push(client);
          await client.send([['FLUSHALL']]);
          ours = serverSide(client);
        }
        await redis.send([['FLUSHALL']]);
        await runScript(redis, ours, script);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    };

    for (const [title, script] of Object.entries(scripts)) {
      for (const mode of modes) it(`${title} [${mode}]`, () => runIn(mode, script));
    }
  });
}
