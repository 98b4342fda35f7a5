// What COMMAND INFO and COMMAND DOCS say about a command, kept compact: flags, key specs
// and arguments are short strings (see command-table.ts) that this file turns into the
// structures Redis 7.0 replies with.

/** One command (or subcommand) as the table writes it. */
export interface CommandSpec {
  /** Subcommands only: arity counting the command and the subcommand (top-level arities come from the server). */
  arity?: number;
  /** COMMAND INFO flags, space-separated ("write denyoom fast"); movablekeys is derived from the key specs. */
  flags: string;
  /** ACL categories besides those the flags imply (@read, @write, @fast/@slow, @admin, @dangerous...), space-separated, without "@". */
  acl?: string;
  /**
   * Key specs, ";"-separated. Each: "<flags> <begin search> [<find keys>]".
   * Begin search: "1" (index 1) or "k:STORE:1" (keyword STORE, searched from 1; negative from the end).
   * Find keys: "r0,1,0" range (lastkey, keystep, limit; the default) or "n0,1,1" keynum (keynumidx, firstkey, keystep).
   */
  keys?: string;
  /** Command tips, space-separated ("nondeterministic_output request_policy:all_shards"). */
  tips?: string;
  group: string;
  since: string;
  complexity: string;
  summary: string;
  /** The arguments in the syntax parseArgs() reads; absent: none. */
  args?: string;
  /** An internal command (COMMAND DOCS doc_flags syscmd). */
  syscmd?: boolean;
  /** Deprecated: [since, replaced by]. */
  deprecated?: [string, string];
  /** Subcommands by lower-case name ("setname" for CLIENT|SETNAME). */
  subcommands?: Record<string, CommandSpec>;
}

// ---------------------------------------------------------------------------------------
// Arguments. The syntax is Redis's usual one with a few marks where it would be ambiguous:
//
//   key value [condition: NX | XX] [GET] [expiration: EX seconds:int | KEEPTTL]
//
//   name[:type][#n]  a value; type string unless given (key for "key"); types are key,
//                    string, integer (int), double (dbl), pattern (pat), unix-time (time);
//                    #n: key_spec_index (key arguments count 0, 1, ... by default)
//   TOKEN            a pure token, named as its lower-case self; TOKEN=name names it
//   TOKEN value      a value (or a "( )" block) that follows a token
//   [ ... ]          optional; ( ... ) required
//   [name: a | b]    a oneof; [name: a b] a block; a bracket without a name holding one
//                    term is that term (optional); "TOKEN ( ... )" is a block named after TOKEN
//   x...             multiple; TOKEN x...+ : multiple, the token repeated (multiple_token)
// ---------------------------------------------------------------------------------------

export type ArgType = 'key' | 'string' | 'integer' | 'double' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

export interface ArgSpec {
  name: string;
  type: ArgType;
  keySpecIndex?: number;
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multipleToken?: boolean;
  args?: ArgSpec[];
}

const TYPE_NAMES: Record<string, ArgType> = {
  key: 'key',
  string: 'string',
  integer: 'integer',
  int: 'integer',
  double: 'double',
  dbl: 'double',
  pattern: 'pattern',
  pat: 'pattern',
  'unix-time': 'unix-time',
  time: 'unix-time',
};

const isToken = (w: string) => /^[A-Z][A-Z0-9_-]*(=[a-z][a-z0-9_-]*)?$/.test(w);
const isValue = (w: string) => /^[a-z]/.test(w) && !w.endsWith(':');

/** Parses an argument syntax string into Redis's COMMAND DOCS argument tree. */
export function parseArgs(syntax: string): ArgSpec[] {
  const words = syntax
    .replace(/\.\.\.(\+?)/g, ' ...$1 ')
    .replace(/([[\]()|])/g, ' $1 ')
    .split(/\s+/)
    .filter(Boolean);
  let pos = 0;
  let keyIndex = 0;
  const fail = (why: string): never => {
    throw new Error(`argument syntax: ${why} at word ${pos} of "${syntax}"`);
  };
  const peek = () => words[pos];

  function value(word: string): ArgSpec {
    const m = /^([a-z][a-z0-9_:/-]*?)(?::([a-z-]+))?(?:#(\d+))?$/.exec(word);
    if (!m) return fail(`bad value "${word}"`);
    let name = m[1]!;
    let typeName: string | undefined = m[2];
    const index = m[3];
    if (typeName && !TYPE_NAMES[typeName]) {
      name = `${name}:${typeName}`; // a colon in the name itself ("ip:port")
      typeName = undefined;
    }
    const type = typeName ? TYPE_NAMES[typeName]! : name === 'key' ? 'key' : 'string';
    const arg: ArgSpec = { name, type };
    if (type === 'key') arg.keySpecIndex = index !== undefined ? Number(index) : keyIndex++;
    return arg;
  }

  // A bracketed group; `name` is the token's name when a token introduced it.
  function group(close: string, defaultName?: string): ArgSpec {
    let name: string | undefined;
    if (peek()?.endsWith(':') && /^[a-z]/.test(peek()!)) name = words[pos++]!.slice(0, -1);
    const alternatives: ArgSpec[][] = [sequence()];
    while (peek() === '|') {
      pos++;
      alternatives.push(sequence());
    }
    if (words[pos++] !== close) fail(`expected "${close}"`);
    if (alternatives.length > 1) {
      if (alternatives.some((a) => a.length !== 1)) fail('each alternative of a oneof must be one term');
      name ??= defaultName;
      if (!name) fail('a oneof needs a name');
      return { name: name!, type: 'oneof', args: alternatives.map((a) => a[0]!) };
    }
    const [only] = alternatives;
    if (!name && !defaultName && only!.length === 1) return only![0]!;
    name ??= defaultName;
    if (!name) fail('a block needs a name');
    return { name: name!, type: 'block', args: only };
  }

  function term(): ArgSpec {
    const word = words[pos++]!;
    let arg: ArgSpec;
    if (isToken(word)) {
      const [token, tokenName] = word.split('=') as [string, string | undefined];
      const next = peek();
      if (next !== undefined && isValue(next)) {
        pos++;
        arg = { ...value(next), token };
      } else if (next === '(') {
        pos++;
        arg = { ...group(')', tokenName ?? token.toLowerCase()), token };
      } else {
        arg = { name: tokenName ?? token.toLowerCase(), type: 'pure-token', token };
      }
    } else if (word === '[') {
      arg = { ...group(']'), optional: true };
    } else if (word === '(') {
      arg = group(')');
    } else if (isValue(word)) {
      arg = value(word);
    } else {
      return fail(`unexpected "${word}"`);
    }
    if (peek() === '...' || peek() === '...+') {
      arg.multiple = true;
      if (words[pos++] === '...+') arg.multipleToken = true;
    }
    return arg;
  }

  function sequence(): ArgSpec[] {
    const out: ArgSpec[] = [];
    while (pos < words.length && ![']', ')', '|'].includes(peek()!)) out.push(term());
    return out;
  }

  const args = sequence();
  if (pos !== words.length) fail('unbalanced brackets');
  return args;
}

// ---------------------------------------------------------------------------------------
// Key specs, and what Redis derives from them.
// ---------------------------------------------------------------------------------------

export interface KeySpec {
  flags: string[];
  begin: { type: 'index'; index: number } | { type: 'keyword'; keyword: string; startfrom: number };
  find:
    | { type: 'range'; lastkey: number; keystep: number; limit: number }
    | { type: 'keynum'; keynumidx: number; firstkey: number; keystep: number };
}

export function parseKeySpecs(text: string | undefined): KeySpec[] {
  if (!text) return [];
  return text.split(';').map((one) => {
    const [flags, begin, find] = one.trim().split(/\s+/) as [string, string, string | undefined];
    const spec: KeySpec = {
      flags: flags.split(','),
      begin: { type: 'index', index: 0 },
      find: { type: 'range', lastkey: 0, keystep: 1, limit: 0 },
    };
    if (begin.startsWith('k:')) {
      const [, keyword, startfrom] = begin.split(':');
      spec.begin = { type: 'keyword', keyword: keyword!, startfrom: Number(startfrom) };
    } else {
      spec.begin = { type: 'index', index: Number(begin) };
    }
    if (find) {
      const [a, b, c] = find.slice(1).split(',').map(Number) as [number, number, number];
      spec.find = find[0] === 'n' ? { type: 'keynum', keynumidx: a, firstkey: b, keystep: c } : { type: 'range', lastkey: a, keystep: b, limit: c };
    }
    return spec;
  });
}

const unsigned = (n: number) => (n < 0 ? 2 ** 32 + n : n);
const isPlainRange = (s: KeySpec) => s.begin.type === 'index' && s.find.type === 'range';

/** COMMAND INFO's first key, last key and step: Redis's legacy range, computed as Redis does from the key specs. */
export function legacyRange(specs: KeySpec[]): [number, number, number] {
  if (specs.length === 0) return [0, 0, 0];
  if (specs.length === 1 && isPlainRange(specs[0]!)) {
    const s = specs[0]!;
    const first = (s.begin as { index: number }).index;
    const range = s.find as { lastkey: number; keystep: number };
    return [first, range.lastkey >= 0 ? first + range.lastkey : range.lastkey, range.keystep];
  }
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  for (const s of specs) {
    if (!isPlainRange(s)) continue;
    const index = (s.begin as { index: number }).index;
    const range = s.find as { lastkey: number; keystep: number };
    if (range.keystep !== 1 || (prevLast && prevLast !== index - 1)) continue;
    first = Math.min(first, index);
    const abs = range.lastkey >= 0 ? range.lastkey + index : range.lastkey;
    // Redis compares as unsigned: a negative (counted from the end) last key wins.
    if (unsigned(abs) > unsigned(last)) last = abs;
    prevLast = last;
  }
  if (first === Number.MAX_SAFE_INTEGER) return [0, 0, 0];
  return [first, last, 1];
}

/** COMMAND INFO flags: the table's, plus movablekeys when a key spec is not a plain range. */
export function infoFlags(spec: CommandSpec, specs: KeySpec[]): string[] {
  const flags = spec.flags ? spec.flags.split(/\s+/) : [];
  if (specs.some((s) => !isPlainRange(s)) && !flags.includes('movablekeys')) flags.push('movablekeys');
  return flags;
}

// Redis's ACL categories, in the order it lists them.
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
];

/** The ACL categories: the table's and those Redis implies from the flags, in Redis's order. */
export function aclCategories(spec: CommandSpec): string[] {
  const flags = new Set(spec.flags ? spec.flags.split(/\s+/) : []);
  const cats = new Set(spec.acl ? spec.acl.split(/\s+/) : []);
  if (flags.has('write')) cats.add('write');
  if (flags.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (flags.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (flags.has('pubsub')) cats.add('pubsub');
  if (flags.has('fast')) cats.add('fast');
  if (flags.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_CATEGORIES.filter((c) => cats.has(c)).map((c) => `@${c}`);
}

/** Which arguments of argv (name first) are keys, and the key spec flags of each, as COMMAND GETKEYS finds them; null: the arguments do not fit the specs. */
export function keysFromSpecs(specs: KeySpec[], argv: string[]): { pos: number; flags: string[] }[] | null {
  const argc = argv.length;
  const out: { pos: number; flags: string[] }[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    if (spec.begin.type === 'index') {
      first = spec.begin.index;
    } else {
      const { keyword, startfrom } = spec.begin;
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    }
    let last: number;
    let step: number;
    if (spec.find.type === 'range') {
      const { lastkey, keystep, limit } = spec.find;
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.floor((argc - first) / limit) + lastkey);
    } else {
      const { keynumidx, firstkey, keystep } = spec.find;
      step = keystep;
      if (first + keynumidx >= argc) return null;
      const s = argv[first + keynumidx]!;
      if (!/^-?(0|[1-9][0-9]*)$/.test(s) || Number(s) < 0) return null;
      first += firstkey;
      last = first + Number(s) - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: spec.flags });
  }
  return out;
}
