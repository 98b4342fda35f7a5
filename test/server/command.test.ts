// COMMAND: COUNT, LIST, INFO, DOCS, GETKEYS, HELP, checked against a real redis-server
// (the oracle) for every command this server runs.
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseArgs } from '../../lib/server/commands/command-spec';
import { COMMAND_TABLE } from '../../lib/server/commands/command-table';
import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server';
import { RespClient, RespError, type RespValue } from '../support/resp';
import { startServer, type RunningServer } from '../support/server';

// ---------------------------------------------------------------------------------------
// A tiny RESP3-aware connection: raw reply bytes and parsed values (maps as Map).
// ---------------------------------------------------------------------------------------

type V = string | number | bigint | null | V[] | Map<string, V> | { error: string } | { set: V[] };

function parse3(buf: Buffer, pos: number): [V, number] | null {
  const e = buf.indexOf('\r\n', pos);
  if (e < 0) return null;
  const t = String.fromCharCode(buf[pos]!);
  const line = buf.toString('utf8', pos + 1, e);
  const next = e + 2;
  const many = (n: number, at: number): [V[], number] | null => {
    const out: V[] = [];
    for (let i = 0; i < n; i++) {
      const r = parse3(buf, at);
      if (!r) return null;
      out.push(r[0]);
      at = r[1];
    }
    return [out, at];
  };
  switch (t) {
    case '+':
      return [line, next];
    case '-':
      return [{ error: line }, next];
    case ':':
      return [Number(line), next];
    case '_':
      return [null, next];
    case '$':
    case '=': {
      const n = Number(line);
      if (n < 0) return [null, next];
      if (next + n + 2 > buf.length) return null;
      return [buf.toString('utf8', next, next + n), next + n + 2];
    }
    case '*':
    case '~': {
      const n = Number(line);
      if (n < 0) return [null, next];
      const r = many(n, next);
      if (!r) return null;
      return [t === '~' ? { set: r[0] } : r[0], r[1]];
    }
    case '%': {
      const r = many(2 * Number(line), next);
      if (!r) return null;
      const m = new Map<string, V>();
      for (let i = 0; i < r[0].length; i += 2) m.set(String(r[0][i]), r[0][i + 1]!);
      return [m, r[1]];
    }
    default:
      throw new Error(`unexpected RESP type ${t}`);
  }
}

class Conn {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(port: number, resp3 = false): Promise<Conn> {
    const socket = net.createConnection({ port, host: '127.0.0.1' });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const c = new Conn(socket);
    if (resp3) await c.raw(['HELLO', '3']);
    return c;
  }
  /** One command; the raw bytes of its reply. */
  async raw(argv: string[]): Promise<Buffer> {
    this.socket.write(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
    for (;;) {
      const r = this.buf.length ? parse3(this.buf, 0) : null;
      if (r) {
        const out = this.buf.subarray(0, r[1]);
        this.buf = this.buf.subarray(r[1]);
        return Buffer.from(out);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
  async call(argv: string[]): Promise<V> {
    return parse3(await this.raw(argv), 0)![0];
  }
  close(): void {
    this.socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------

/** RESP2 COMMAND INFO entry as a plain object (key specs: list of field maps, notes dropped). */
interface Info {
  name: string;
  arity: number;
  flags: string[];
  first: number;
  last: number;
  step: number;
  acl: string[];
  tips: string[];
  keySpecs: unknown[];
  subcommands: Info[];
}

const str = (v: RespValue): string => (Buffer.isBuffer(v) ? v.toString() : String(v));

function pairs(v: RespValue): Record<string, RespValue> {
  const a = v as RespValue[];
  const o: Record<string, RespValue> = {};
  for (let i = 0; i < a.length; i += 2) o[str(a[i]!)] = a[i + 1]!;
  return o;
}

function toPlain(v: RespValue): unknown {
  if (Buffer.isBuffer(v)) return v.toString();
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

function keySpec(v: RespValue): unknown {
  const o = pairs(v);
  delete o.notes;
  const begin = pairs(o.begin_search!);
  const find = pairs(o.find_keys!);
  return {
    flags: toPlain(o.flags!),
    begin: { type: str(begin.type!), spec: toPlain(begin.spec!) },
    find: { type: str(find.type!), spec: toPlain(find.spec!) },
  };
}

function toInfo(v: RespValue): Info | null {
  if (v === null) return null;
  const a = v as RespValue[];
  return {
    name: str(a[0]!),
    arity: a[1] as number,
    flags: (a[2] as RespValue[]).map(str),
    first: a[3] as number,
    last: a[4] as number,
    step: a[5] as number,
    acl: (a[6] as RespValue[]).map(str),
    tips: (a[7] as RespValue[]).map(str),
    keySpecs: (a[8] as RespValue[]).map(keySpec),
    subcommands: (a[9] as RespValue[]).map((s) => toInfo(s)!),
  };
}

/** COMMAND DOCS argument trees without since/summary/deprecated_since (ours does not keep them). */
function docArgs(v: RespValue | undefined): unknown {
  if (v === undefined) return undefined;
  return (v as RespValue[]).map((arg) => {
    const o = pairs(arg);
    const out: Record<string, unknown> = { name: str(o.name!), type: str(o.type!) };
    if (o.key_spec_index !== undefined) out.key_spec_index = o.key_spec_index;
    if (o.token !== undefined) out.token = str(o.token);
    if (o.flags !== undefined) out.flags = toPlain(o.flags);
    if (o.arguments !== undefined) out.arguments = docArgs(o.arguments);
    return out;
  });
}

/** The argument names, nested, as redis-cli's hints walk them. */
function argNames(v: RespValue | undefined): unknown {
  if (v === undefined) return [];
  return (v as RespValue[]).map((arg) => {
    const o = pairs(arg);
    return o.arguments ? [str(o.name!), argNames(o.arguments)] : str(o.name!);
  });
}

function docsOf(reply: RespValue): Record<string, Record<string, RespValue>> {
  const out: Record<string, Record<string, RespValue>> = {};
  for (const [name, doc] of Object.entries(pairs(reply))) out[name] = pairs(doc);
  return out;
}

let ours: RunningServer;
let redis: RedisServer | undefined;
let a: RespClient; // ours
let b: RespClient | undefined; // Redis

beforeAll(async () => {
  ours = await startServer();
  a = await RespClient.connect(ours.port);
  if (hasRedisServer) {
    redis = await startRedisServer();
    b = await RespClient.connect(redis.port);
  }
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await ours?.stop();
  await redis?.stop();
});

/** Every command and subcommand we describe, flattened. */
async function ourInfos(): Promise<Info[]> {
  const all = ((await a.call(['COMMAND'])) as RespValue[]).map((v) => toInfo(v)!);
  return all.flatMap((c) => [c, ...c.subcommands]);
}

function servedNames(): string[] {
  const names = new Set<string>(ours.server.commands.keys());
  for (const [name] of ours.server.keyspace.commands()) names.add(name);
  return [...names].sort();
}

describe('COMMAND', () => {
  it('COUNT is the number of commands served, and every one has a table entry', async () => {
    const names = servedNames();
    expect(await a.call(['COMMAND', 'COUNT'])).toBe(names.length);
    expect(names.filter((n) => !COMMAND_TABLE[n])).toEqual([]);
    const listed = ((await a.call(['COMMAND'])) as RespValue[]).map((v) => toInfo(v)!.name);
    expect(listed.sort()).toEqual(names);
  });

  it('every argument syntax in the table parses', () => {
    const walk = (name: string, spec: (typeof COMMAND_TABLE)[string]) => {
      if (spec.args) expect(() => parseArgs(spec.args!), name).not.toThrow();
      for (const [sub, s] of Object.entries(spec.subcommands ?? {})) walk(`${name}|${sub}`, s);
    };
    for (const [name, spec] of Object.entries(COMMAND_TABLE)) walk(name, spec);
  });

  it('every subcommand listed is one the server implements', async () => {
    for (const c of await ourInfos()) {
      if (!c.name.includes('|')) continue;
      const [cmd, sub] = c.name.split('|') as [string, string];
      const reply = await a.call([cmd, sub]);
      if (reply instanceof RespError) expect(reply.message, c.name).not.toMatch(/unknown subcommand/);
    }
  });

  it('HELP, unknown subcommands and arity errors', async () => {
    const help = (await a.call(['COMMAND', 'HELP'])) as RespValue[];
    expect(help[0]).toMatch(/^COMMAND <subcommand>/);
    expect(help.every((l) => typeof l === 'string')).toBe(true);
    expect(await a.call(['COMMAND', 'FOO'])).toEqual(new RespError("ERR unknown subcommand 'FOO'. Try COMMAND HELP."));
    expect(await a.call(['COMMAND', 'COUNT', 'x'])).toEqual(new RespError("ERR wrong number of arguments for 'command|count' command"));
    expect(await a.call(['COMMAND', 'GETKEYS', 'get'])).toEqual(new RespError("ERR wrong number of arguments for 'command|getkeys' command"));
  });

  it('DOCS has an entry with arguments for every command that takes any', async () => {
    const docs = docsOf(await a.call(['COMMAND', 'DOCS']));
    expect(Object.keys(docs).sort()).toEqual(servedNames());
    for (const [name, spec] of Object.entries(COMMAND_TABLE)) {
      const doc = docs[name]!;
      expect(str(doc.summary!), name).not.toBe('');
      expect(doc.arguments !== undefined, name).toBe(spec.args !== undefined);
    }
    // Unknown names are left out; subcommands by "parent|sub".
    const some = docsOf(await a.call(['COMMAND', 'DOCS', 'nope', 'SET', 'client|kill']));
    expect(Object.keys(some)).toEqual(['set', 'client|kill']);
  });

  it('DOCS is a map in RESP3, a flat array in RESP2', async () => {
    const c = await Conn.open(ours.port, true);
    try {
      const docs = (await c.call(['COMMAND', 'DOCS', 'get', 'client'])) as Map<string, V>;
      expect(docs).toBeInstanceOf(Map);
      const get = docs.get('get') as Map<string, V>;
      expect([...get.keys()]).toEqual(['summary', 'since', 'group', 'complexity', 'arguments']);
      const arg = (get.get('arguments') as V[])[0] as Map<string, V>;
      expect(Object.fromEntries(arg)).toEqual({ name: 'key', type: 'key', key_spec_index: 0 });
      const subs = (docs.get('client') as Map<string, V>).get('subcommands') as Map<string, V>;
      expect(subs.get('client|kill')).toBeInstanceOf(Map);
    } finally {
      c.close();
    }
  });

  it('GETKEYS and GETKEYSANDFLAGS without an oracle', async () => {
    expect(await a.call(['COMMAND', 'GETKEYS', 'mset', 'a', 'b', 'c', 'd'])).toEqual([Buffer.from('a'), Buffer.from('c')]);
    expect(await a.call(['COMMAND', 'GETKEYS', 'lmpop', '2', 'x', 'y', 'LEFT'])).toEqual([Buffer.from('x'), Buffer.from('y')]);
    expect(await a.call(['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k', 'v', 'get'])).toEqual([[Buffer.from('k'), ['RW', 'access', 'update']]]);
    expect(await a.call(['COMMAND', 'GETKEYS', 'nope', 'a'])).toEqual(new RespError('ERR Invalid command specified'));
  });

  it('LIST filters', async () => {
    const names = (await a.call(['COMMAND', 'LIST'])) as Buffer[];
    expect(names.map(String)).toContain('client|kill');
    const tx = (await a.call(['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'Transaction'])) as Buffer[];
    expect(tx.map(String).sort()).toEqual(['discard', 'exec', 'multi', 'unwatch', 'watch']);
    expect(((await a.call(['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'z*by[ls]*'])) as Buffer[]).map(String).sort()).toEqual([
      'zrangebylex', 'zrangebyscore', 'zremrangebylex', 'zremrangebyscore', 'zrevrangebylex', 'zrevrangebyscore',
    ]);
    expect(await a.call(['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'])).toEqual([]);
    expect(await a.call(['COMMAND', 'LIST', 'FILTERBY', 'x', 'y'])).toEqual(new RespError('ERR syntax error'));
  });
});

describe.skipIf(!hasRedisServer)('COMMAND compared with redis-server', () => {
  // Ours only (Redis 7.2's), so Redis 7.0 does not know them.
  const NEWER = ['client|no-touch', 'client|setinfo'];

  it('INFO: arity, flags, key positions, ACL categories, tips and key specs equal Redis for every command', async () => {
    const infos = await ourInfos();
    const theirs = ((await b!.call(['COMMAND', 'INFO', ...infos.map((c) => c.name)])) as RespValue[]).map(toInfo);
    const unknown: string[] = [];
    infos.forEach((mine, i) => {
      const other = theirs[i];
      if (!other) return void unknown.push(mine.name);
      // Redis lists every subcommand; we list those we implement (and two of Redis 7.2's).
      const ourSubs = mine.subcommands.map((s) => s.name).filter((s) => !NEWER.includes(s));
      const expected = { ...other, subcommands: other.subcommands.map((s) => s.name).filter((s) => ourSubs.includes(s)).sort() };
      expect({ ...mine, subcommands: ourSubs.sort() }, mine.name).toEqual(expected);
    });
    expect(unknown).toEqual(NEWER);
  });

  it('INFO replies are byte for byte Redis\'s, RESP2 and RESP3', async () => {
    // Commands with neither subcommands (Redis's order is its hash table's) nor key spec notes.
    const sample = ['get', 'mset', 'lmove', 'lmpop', 'ttl', 'ping', 'sdiffstore', 'zrangestore', 'hello', 'nope', 'client|kill', 'CONFIG|SET'];
    for (const resp3 of [false, true]) {
      const x = await Conn.open(ours.port, resp3);
      const y = await Conn.open(redis!.port, resp3);
      try {
        for (const name of sample) {
          expect((await x.raw(['COMMAND', 'INFO', name])).toString(), `${name} resp3=${resp3}`).toBe((await y.raw(['COMMAND', 'INFO', name])).toString());
        }
        for (const argv of [['GETKEYSANDFLAGS', 'lmove', 'a', 'b', 'LEFT', 'RIGHT'], ['GETKEYS', 'sdiffstore', 'd', 'a', 'b']]) {
          expect((await x.raw(['COMMAND', ...argv])).toString(), argv.join(' ')).toBe((await y.raw(['COMMAND', ...argv])).toString());
        }
      } finally {
        x.close();
        y.close();
      }
    }
  });

  it('DOCS: arguments, group and since equal Redis for every command', async () => {
    const mine = docsOf(await a.call(['COMMAND', 'DOCS']));
    const theirs = docsOf(await b!.call(['COMMAND', 'DOCS', ...Object.keys(mine)]));
    const compare = (name: string, x: Record<string, RespValue>, y: Record<string, RespValue>) => {
      expect(docArgs(x.arguments), name).toEqual(docArgs(y.arguments));
      expect(str(x.group!), name).toBe(str(y.group!));
      expect(str(x.since!), name).toBe(str(y.since!));
      expect(x.doc_flags && toPlain(x.doc_flags), name).toEqual(y.doc_flags && toPlain(y.doc_flags));
      expect(x.deprecated_since && str(x.deprecated_since), name).toEqual(y.deprecated_since && str(y.deprecated_since));
      if (!x.subcommands) return void expect(y.subcommands, name).toBeUndefined();
      const ys = docsOf(y.subcommands!);
      for (const [sub, xd] of Object.entries(docsOf(x.subcommands))) if (!NEWER.includes(sub)) compare(sub, xd, ys[sub]!);
    };
    for (const name of Object.keys(mine)) compare(name, mine[name]!, theirs[name]!);
  });

  it('DOCS parses into the same argument names as Redis\'s (what redis-cli hints use)', async () => {
    for (const name of ['set', 'zadd', 'zrange', 'client|kill', 'hset']) {
      const mine = docsOf(await a.call(['COMMAND', 'DOCS', name]))[name]!;
      const theirs = docsOf(await b!.call(['COMMAND', 'DOCS', name]))[name]!;
      expect(argNames(mine.arguments), name).toEqual(argNames(theirs.arguments));
      expect(argNames(mine.arguments), name).not.toEqual([]);
    }
  });

  it('COUNT, LIST and their errors as Redis', async () => {
    const same = async (argv: string[]) => expect(await a.call(argv), argv.join(' ')).toEqual(await b!.call(argv));
    for (const argv of [
      ['COMMAND', 'COUNT', 'x'],
      ['COMMAND', 'LIST', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'x', 'y'],
      ['COMMAND', 'LIST', 'FILTERBY', 'nope', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nope'],
      ['COMMAND', 'FOO'],
      ['COMMAND', 'HELP', 'x'],
      ['COMMAND', 'INFO', 'nope', 'get|x', 'a|b|c'],
      ['COMMAND', 'DOCS', 'nope'],
    ]) {
      await same(argv);
    }
    // Filters: Redis's answer restricted to the commands we run.
    const all = new Set(((await a.call(['COMMAND', 'LIST'])) as Buffer[]).map(String));
    for (const filter of [
      ['ACLCAT', 'connection'], ['ACLCAT', 'KEYSPACE'], ['ACLCAT', 'write'], ['ACLCAT', 'fast'], ['ACLCAT', 'dangerous'],
      ['PATTERN', 'client*'], ['PATTERN', 'CLIENT|[gs]et*'], ['PATTERN', '*range*'], ['PATTERN', 'h?et'], ['PATTERN', '[^a-r]*'], ['PATTERN', 'z\\*'],
    ]) {
      const argv = ['COMMAND', 'LIST', 'FILTERBY', ...filter];
      const mine = ((await a.call(argv)) as Buffer[]).map(String).filter((n) => !NEWER.includes(n)).sort();
      const theirs = ((await b!.call(argv)) as Buffer[]).map(String).filter((n) => all.has(n)).sort();
      expect(mine, filter.join(' ')).toEqual(theirs);
    }
  });

  it('GETKEYS and GETKEYSANDFLAGS as Redis', async () => {
    for (const argv of [
      ['get', 'k'],
      ['set', 'k', 'v'],
      ['set', 'k', 'v', 'GET', 'EX', '10'],
      ['mset', 'a', '1', 'b', '2'],
      ['mset', 'a', '1', 'b'],
      ['del', 'a', 'b', 'c'],
      ['rename', 'a', 'b'],
      ['lmove', 'a', 'b', 'LEFT', 'RIGHT'],
      ['lmpop', '2', 'a', 'b', 'LEFT', 'COUNT', '3'],
      ['lmpop', '5', 'a', 'b', 'LEFT'],
      ['lmpop', '0', 'LEFT'],
      ['lmpop', 'x', 'a', 'LEFT'],
      ['sdiffstore', 'd', 'a', 'b'],
      ['sinterstore', 'd', 'a'],
      ['zrangestore', 'd', 's', '0', '-1'],
      ['smove', 's', 'd', 'm'],
      ['watch', 'a', 'b'],
      ['exists', 'a', 'b'],
      ['hset', 'h', 'f', 'v'],
      ['set', 'k'],
      ['get'],
      ['ping'],
      ['nope', 'a'],
      ['client', 'kill', 'x'],
      ['client', 'nope'],
      ['client'],
      ['keys', '*'],
      ['GET', 'k'],
    ]) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const cmd = ['COMMAND', sub, ...argv];
        expect(await a.call(cmd), cmd.join(' ')).toEqual(await b!.call(cmd));
      }
    }
  });

  it('redis-cli runs against the server', async () => {
    const run = promisify(execFile);
    const hasCli = await run('redis-cli', ['--version']).then(() => true, () => false);
    if (!hasCli) return;
    const cli = (...args: string[]) => run('redis-cli', ['-p', String(ours.port), ...args]);
    expect((await cli('SET', 'cli-key', 'v')).stdout.trim()).toBe('OK');
    expect((await cli('GET', 'cli-key')).stdout.trim()).toBe('v');
    expect(Number((await cli('COMMAND', 'COUNT')).stdout.trim())).toBe(servedNames().length);
    const docs = (await cli('COMMAND', 'DOCS', 'zadd')).stdout;
    expect(docs).toContain('score_member');
    // Piped input, as scripts feed it.
    const piped = await new Promise<string>((resolve, reject) => {
      const child = execFile('redis-cli', ['-p', String(ours.port)], (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end('PING\nCOMMAND INFO get\n');
    });
    expect(piped).toContain('PONG');
    expect(piped).toContain('readonly');
  });
});
