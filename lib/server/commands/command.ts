// COMMAND: what the server runs, for clients and tools that ask (redis-cli's hints, cluster
// clients finding keys). The commands are the keyspace's native ones and the server's own;
// what is said about each comes from command-table.ts, in Redis 7.0's reply shapes.
import type { Server } from '../server';
import type { RespWriter } from '../resp-writer';
import {
  aclCategories,
  infoFlags,
  keysFromSpecs,
  legacyRange,
  parseArgs,
  parseKeySpecs,
  type ArgSpec,
  type CommandSpec,
  type KeySpec,
} from './command-spec';
import { COMMAND_TABLE } from './command-table';
import { globMatchNoCase, runSubcommand, type CommandContext, type ServerCommand, type Subcommands } from './types';

/** One command or subcommand as COMMAND describes it. */
export interface DescribedCommand {
  /** "get", or "client|kill" for a subcommand. */
  fullName: string;
  arity: number;
  flags: string[];
  firstKey: number;
  lastKey: number;
  step: number;
  aclCategories: string[];
  tips: string[];
  keySpecs: KeySpec[];
  spec: CommandSpec;
  subcommands: DescribedCommand[];
}

const describedBySpec = new WeakMap<CommandSpec, DescribedCommand>();
const parsedArgs = new WeakMap<CommandSpec, ArgSpec[]>();

function describe(fullName: string, arity: number, spec: CommandSpec): DescribedCommand {
  const cached = describedBySpec.get(spec);
  if (cached && cached.fullName === fullName && cached.arity === arity) return cached;
  const keySpecs = parseKeySpecs(spec.keys);
  const [firstKey, lastKey, step] = legacyRange(keySpecs);
  const d: DescribedCommand = {
    fullName,
    arity,
    flags: infoFlags(spec, keySpecs),
    firstKey,
    lastKey,
    step,
    aclCategories: aclCategories(spec),
    tips: spec.tips ? spec.tips.split(/\s+/) : [],
    keySpecs,
    spec,
    subcommands: Object.entries(spec.subcommands ?? {}).map(([sub, s]) => describe(`${fullName}|${sub}`, s.arity ?? -2, s)),
  };
  describedBySpec.set(spec, d);
  return d;
}

// A command the table does not know yet: its arity, nothing more (the COUNT test flags it).
function fallbackSpec(): CommandSpec {
  return { flags: '', group: 'generic', since: '0.1.0', complexity: '', summary: '' };
}

const fallbacks = new Map<string, CommandSpec>();

/** Every command the server runs, by name, sorted. */
export function describeCommands(server: Server): DescribedCommand[] {
  const arities: [string, number][] = [...server.commands.values()].map((c) => [c.name, c.arity]);
  for (const [name, arity] of server.keyspace.commands()) if (!server.commands.has(name)) arities.push([name, arity]);
  arities.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return arities.map(([name, arity]) => {
    let spec = COMMAND_TABLE[name];
    if (!spec) {
      spec = fallbacks.get(name) ?? fallbackSpec();
      fallbacks.set(name, spec);
    }
    return describe(name, arity, spec);
  });
}

/** A command by name, "parent|sub" for a subcommand (any case); undefined when unknown. */
function lookup(all: DescribedCommand[], name: string): DescribedCommand | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = all.find((c) => c.fullName === parts[0]);
  if (!base || parts.length === 1) return base;
  return base.subcommands.find((s) => s.fullName === `${parts[0]}|${parts[1]}`);
}

// ---------------------------------------------------------------------------------------
// COMMAND INFO
// ---------------------------------------------------------------------------------------

function writeKeySpec(r: RespWriter, s: KeySpec): void {
  r.map(3).bulk('flags').set(s.flags.length);
  for (const f of s.flags) r.status(f);
  r.bulk('begin_search').map(2).bulk('type');
  if (s.begin.type === 'index') r.bulk('index').bulk('spec').map(1).bulk('index').integer(s.begin.index);
  else r.bulk('keyword').bulk('spec').map(2).bulk('keyword').bulk(s.begin.keyword).bulk('startfrom').integer(s.begin.startfrom);
  r.bulk('find_keys').map(2).bulk('type');
  if (s.find.type === 'range') {
    r.bulk('range').bulk('spec').map(3);
    r.bulk('lastkey').integer(s.find.lastkey).bulk('keystep').integer(s.find.keystep).bulk('limit').integer(s.find.limit);
  } else {
    r.bulk('keynum').bulk('spec').map(3);
    r.bulk('keynumidx').integer(s.find.keynumidx).bulk('firstkey').integer(s.find.firstkey).bulk('keystep').integer(s.find.keystep);
  }
}

function writeInfo(r: RespWriter, c: DescribedCommand | undefined): void {
  if (!c) return void r.null();
  r.array(10).bulk(c.fullName).integer(c.arity);
  r.set(c.flags.length);
  for (const f of c.flags) r.status(f);
  r.integer(c.firstKey).integer(c.lastKey).integer(c.step);
  r.set(c.aclCategories.length);
  for (const a of c.aclCategories) r.status(a);
  r.set(c.tips.length);
  for (const t of c.tips) r.bulk(t);
  r.set(c.keySpecs.length);
  for (const s of c.keySpecs) writeKeySpec(r, s);
  if (c.subcommands.length === 0) return void r.set(0);
  r.array(c.subcommands.length);
  for (const s of c.subcommands) writeInfo(r, s);
}

function info(ctx: CommandContext, names: string[] | null): void {
  const all = describeCommands(ctx.server);
  const wanted = names ? names.map((n) => lookup(all, n)) : all;
  ctx.reply.array(wanted.length);
  for (const c of wanted) writeInfo(ctx.reply, c);
}

// ---------------------------------------------------------------------------------------
// COMMAND DOCS
// ---------------------------------------------------------------------------------------

function writeArgs(r: RespWriter, args: ArgSpec[]): void {
  r.array(args.length);
  for (const a of args) {
    const flags = [a.optional && 'optional', a.multiple && 'multiple', a.multipleToken && 'multiple_token'].filter(Boolean) as string[];
    const n = 2 + (a.keySpecIndex !== undefined ? 1 : 0) + (a.token !== undefined ? 1 : 0) + (flags.length ? 1 : 0) + (a.args ? 1 : 0);
    r.map(n).bulk('name').bulk(a.name).bulk('type').bulk(a.type);
    if (a.keySpecIndex !== undefined) r.bulk('key_spec_index').integer(a.keySpecIndex);
    if (a.token !== undefined) r.bulk('token').bulk(a.token);
    if (flags.length) {
      r.bulk('flags').set(flags.length);
      for (const f of flags) r.status(f);
    }
    if (a.args) writeArgs(r.bulk('arguments'), a.args);
  }
}

export function commandArgs(spec: CommandSpec): ArgSpec[] | undefined {
  if (!spec.args) return undefined;
  let parsed = parsedArgs.get(spec);
  if (!parsed) {
    parsed = parseArgs(spec.args);
    parsedArgs.set(spec, parsed);
  }
  return parsed;
}

function writeDocs(r: RespWriter, c: DescribedCommand): void {
  const s = c.spec;
  const args = commandArgs(s);
  const docFlags = [...(s.syscmd ? ['syscmd'] : []), ...(s.deprecated ? ['deprecated'] : [])];
  const n = 4 + (docFlags.length ? 1 : 0) + (s.deprecated ? 2 : 0) + (args ? 1 : 0) + (c.subcommands.length ? 1 : 0);
  r.map(n);
  r.bulk('summary').bulk(s.summary).bulk('since').bulk(s.since).bulk('group').bulk(s.group).bulk('complexity').bulk(s.complexity);
  if (docFlags.length) {
    r.bulk('doc_flags').set(docFlags.length);
    for (const f of docFlags) r.status(f);
  }
  if (s.deprecated) {
    r.bulk('deprecated_since').bulk(s.deprecated[0]).bulk('replaced_by').bulk(s.deprecated[1]);
  }
  if (args) writeArgs(r.bulk('arguments'), args);
  if (c.subcommands.length) {
    r.bulk('subcommands').map(c.subcommands.length);
    for (const sub of c.subcommands) writeDocs(r.bulk(sub.fullName), sub);
  }
}

function docs(ctx: CommandContext): void {
  const all = describeCommands(ctx.server);
  const names = ctx.argv.slice(2).map((b) => b.toString());
  const wanted = names.length ? (names.map((n) => lookup(all, n)).filter(Boolean) as DescribedCommand[]) : all;
  ctx.reply.map(wanted.length);
  for (const c of wanted) writeDocs(ctx.reply.bulk(c.fullName), c);
}

// ---------------------------------------------------------------------------------------
// COMMAND LIST
// ---------------------------------------------------------------------------------------

function list(ctx: CommandContext): void {
  const n = ctx.argv.length;
  let keep: (c: DescribedCommand) => boolean = () => true;
  if (n !== 2) {
    const kind = ctx.argv[3]?.toString().toUpperCase();
    const value = ctx.argv[4]?.toString() ?? '';
    if (n !== 5 || ctx.argv[2]!.toString().toUpperCase() !== 'FILTERBY' || !['MODULE', 'ACLCAT', 'PATTERN'].includes(kind!)) {
      return void ctx.reply.error('ERR syntax error');
    }
    if (kind === 'MODULE') keep = () => false; // no modules here
    else if (kind === 'ACLCAT') keep = (c) => c.aclCategories.includes(`@${value.toLowerCase()}`);
    else keep = (c) => globMatchNoCase(value, c.fullName);
  }
  const names: string[] = [];
  const walk = (c: DescribedCommand) => {
    if (keep(c)) names.push(c.fullName);
    c.subcommands.forEach(walk);
  };
  describeCommands(ctx.server).forEach(walk);
  ctx.reply.array(names.length);
  for (const name of names) ctx.reply.bulk(name);
}

// ---------------------------------------------------------------------------------------
// COMMAND GETKEYS / GETKEYSANDFLAGS
// ---------------------------------------------------------------------------------------

/** The key arguments of a full command (name first) and the key flags of each, or an error message. */
export function commandKeys(server: Server, argv: string[]): { key: string; flags: string[] }[] | string {
  // Redis's lookupCommand(): the name, then the subcommand when the command has some.
  const name = argv[0]!.toLowerCase();
  let cmd = describeCommands(server).find((c) => c.fullName === name);
  if (cmd && cmd.subcommands.length && argv.length >= 2) {
    cmd = cmd.subcommands.find((s) => s.fullName === `${cmd!.fullName}|${argv[1]!.toLowerCase()}`);
  }
  if (!cmd) return 'ERR Invalid command specified';
  if (cmd.keySpecs.length === 0 || cmd.keySpecs.every((s) => s.flags.includes('not_key'))) {
    return 'ERR The command has no key arguments';
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    return 'ERR Invalid number of arguments specified for command';
  }
  let found: { pos: number; flags: string[] }[] | null;
  if (cmd.keySpecs.some((s) => s.flags.includes('variable_flags'))) {
    // SET: the key is read too when GET is given (Redis's setGetKeys).
    const get = argv.slice(3).some((a) => a.toLowerCase() === 'get');
    found = [{ pos: 1, flags: get ? ['RW', 'access', 'update'] : ['OW', 'update'] }];
  } else {
    found = keysFromSpecs(cmd.keySpecs, argv);
  }
  if (!found || found.length === 0) return 'ERR Invalid arguments specified for command';
  return found.map(({ pos, flags }) => ({ key: argv[pos]!, flags }));
}

function getkeys(ctx: CommandContext, withFlags: boolean): void {
  const r = ctx.reply;
  const keys = commandKeys(ctx.server, ctx.argv.slice(2).map((b) => b.toString()));
  if (typeof keys === 'string') return void r.error(keys);
  r.array(keys.length);
  for (const { key, flags } of keys) {
    if (!withFlags) {
      r.bulk(key);
      continue;
    }
    r.array(2).bulk(key).set(flags.length);
    for (const f of flags) r.status(f);
  }
}

// ---------------------------------------------------------------------------------------

const HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Describe every command the server runs.',
  'COUNT',
  '    Return how many commands the server runs.',
  'LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]',
  '    Return the names of the commands, optionally filtered.',
  'INFO [<command-name> ...]',
  '    Describe the given commands (all of them when none is given).',
  'DOCS [<command-name> ...]',
  '    Return the documentation of the given commands (all of them when none is given).',
  'GETKEYS <full-command>',
  '    Return the key arguments of a full command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the key arguments of a full command and how it uses each.',
  'HELP',
  '    Print this help.',
];

const HANDLERS: Record<string, (ctx: CommandContext) => void> = {
  count: (ctx) => ctx.reply.integer(describeCommands(ctx.server).length),
  list,
  info: (ctx) => info(ctx, ctx.argv.length > 2 ? ctx.argv.slice(2).map((b) => b.toString()) : null),
  docs,
  getkeys: (ctx) => getkeys(ctx, false),
  getkeysandflags: (ctx) => getkeys(ctx, true),
  help: (ctx) => {
    ctx.reply.array(HELP.length);
    for (const line of HELP) ctx.reply.status(line);
  },
};

// The subcommands with the arities the table gives them (GETKEYS: -4, a command and an argument at least).
const SUBCOMMANDS: Subcommands = Object.fromEntries(
  Object.entries(HANDLERS).map(([name, run]) => [name.toUpperCase(), [COMMAND_TABLE.command!.subcommands![name]!.arity!, run]]),
);

export const commandCommand: ServerCommand = {
  name: 'command',
  arity: -1,
  subcommands: SUBCOMMANDS,
  run: (ctx) => (ctx.argv.length === 1 ? info(ctx, null) : runSubcommand(ctx, SUBCOMMANDS)),
};
