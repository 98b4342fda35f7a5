// The settings that exist on this server, under Redis's names, with Redis's value syntax:
// CONFIG GET/SET and the start-up options read and write them here.

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export interface ServerSettings {
  port: number;
  bind: string;
  protectedMode: boolean;
  requirepass: string;
  maxclients: number;
  /** Seconds a client may stay idle; 0 = never closed. */
  timeout: number;
  protoMaxBulkLen: number;
  clientQueryBufferLimit: number;
  /** Normal clients. Redis leaves them unlimited; a client that reads nothing should not grow the process without bound. */
  outputLimit: OutputLimit;
  replicaOutputLimit: OutputLimit;
  pubsubOutputLimit: OutputLimit;
  hz: number;
  loglevel: string;
  replBacklogSize: number;
  /** Seconds without data from the other side before a replication link is dropped. */
  replTimeout: number;
  replPingReplicaPeriod: number;
  /** Credentials a replica gives its master. */
  masterauth: string;
  masteruser: string;
  /** Where SAVE writes the snapshot (and start-up loads it); '' = no files. */
  dir: string;
  dbfilename: string;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  port: 6379,
  bind: '127.0.0.1',
  protectedMode: true,
  requirepass: '',
  maxclients: 10000,
  timeout: 0,
  protoMaxBulkLen: 512 * 1024 * 1024,
  clientQueryBufferLimit: 1024 * 1024 * 1024,
  outputLimit: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
  replicaOutputLimit: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
  pubsubOutputLimit: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 },
  hz: 10,
  loglevel: 'notice',
  replBacklogSize: 1024 * 1024,
  replTimeout: 60,
  replPingReplicaPeriod: 10,
  masterauth: '',
  masteruser: '',
  dir: '',
  dbfilename: 'dump.rdb',
};

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

/** Redis's memory value syntax: "1gb", "512mb", "100k", "4096". */
export function parseMemory(s: string): number | null {
  const m = /^([0-9]+)([a-z]*)$/i.exec(s);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return null;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : null;
}

function parseInt64(s: string): number | null {
  return /^-?[0-9]+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : null;
}

type Parse = { value: unknown } | { error: string };

interface SettingSpec {
  get(s: ServerSettings): string;
  /** Absent for settings fixed at start-up. */
  set?(s: ServerSettings, value: string): Parse;
}

const integer = (key: keyof ServerSettings, min: number, max: number): SettingSpec => ({
  get: (s) => String(s[key]),
  set: (s, v) => {
    const n = parseInt64(v);
    if (n === null) return { error: "argument couldn't be parsed into an integer" };
    if (n < min || n > max) return { error: `argument must be between ${min} and ${max} inclusive` };
    return { value: n };
  },
});
const memory = (key: keyof ServerSettings, min: number): SettingSpec => ({
  get: (s) => String(s[key]),
  set: (s, v) => {
    const n = parseMemory(v);
    if (n === null) return { error: 'argument must be a memory value' };
    if (n < min) return { error: `argument must be a memory value bigger than ${min}` };
    return { value: n };
  },
});
const fixed = (text: (s: ServerSettings) => string): SettingSpec => ({ get: text });

function formatLimits(s: ServerSettings): string {
  const f = (l: OutputLimit) => `${l.hard} ${l.soft} ${l.softSeconds}`;
  return `normal ${f(s.outputLimit)} slave ${f(s.replicaOutputLimit)} pubsub ${f(s.pubsubOutputLimit)}`;
}

// "normal 256mb 64mb 60 replica ..." : any classes, each with hard, soft and seconds.
function parseLimits(s: ServerSettings, v: string): Parse {
  const words = v.trim().split(/\s+/);
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const next = { outputLimit: s.outputLimit, replicaOutputLimit: s.replicaOutputLimit, pubsubOutputLimit: s.pubsubOutputLimit };
  for (let i = 0; i < words.length; i += 4) {
    const key = ({ normal: 'outputLimit', replica: 'replicaOutputLimit', slave: 'replicaOutputLimit', pubsub: 'pubsubOutputLimit' } as const)[
      words[i]!.toLowerCase() as 'normal'
    ];
    const hard = parseMemory(words[i + 1]!);
    const soft = parseMemory(words[i + 2]!);
    const seconds = parseInt64(words[i + 3]!);
    if (!key) return { error: 'Invalid client class specified in buffer limit configuration.' };
    if (hard === null || soft === null || seconds === null || seconds < 0) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    next[key] = { hard, soft, softSeconds: seconds };
  }
  return { value: next };
}

const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'];

export const SETTINGS: Record<string, SettingSpec> = {
  port: fixed((s) => String(s.port)),
  bind: fixed((s) => s.bind),
  'protected-mode': {
    get: (s) => (s.protectedMode ? 'yes' : 'no'),
    set: (_s, v) => (/^(yes|no)$/i.test(v) ? { value: v.toLowerCase() === 'yes' } : { error: "argument must be 'yes' or 'no'" }),
  },
  requirepass: { get: (s) => s.requirepass, set: (_s, v) => ({ value: v }) },
  maxclients: integer('maxclients', 1, 2 ** 31 - 1),
  timeout: integer('timeout', 0, 2 ** 31 - 1),
  'proto-max-bulk-len': memory('protoMaxBulkLen', 1024 * 1024),
  'client-query-buffer-limit': memory('clientQueryBufferLimit', 1024 * 1024),
  'client-output-buffer-limit': { get: formatLimits, set: parseLimits },
  hz: integer('hz', 1, 500),
  loglevel: {
    get: (s) => s.loglevel,
    set: (_s, v) => (LOG_LEVELS.includes(v.toLowerCase()) ? { value: v.toLowerCase() } : { error: 'argument(s) must be one of the following: debug, verbose, notice, warning, nothing' }),
  },
  'repl-backlog-size': memory('replBacklogSize', 16 * 1024),
  'repl-timeout': integer('replTimeout', 1, 2 ** 31 - 1),
  'repl-ping-replica-period': integer('replPingReplicaPeriod', 1, 2 ** 31 - 1),
  masterauth: { get: (s) => s.masterauth, set: (_s, v) => ({ value: v }) },
  masteruser: { get: (s) => s.masteruser, set: (_s, v) => ({ value: v }) },
  'replica-read-only': fixed(() => 'yes'),
  dir: fixed((s) => s.dir),
  dbfilename: fixed((s) => s.dbfilename),
  databases: fixed(() => '1'),
  save: fixed(() => ''),
  appendonly: fixed(() => 'no'),
  maxmemory: fixed(() => '0'),
  'maxmemory-policy': fixed(() => 'noeviction'),
  'cluster-enabled': fixed(() => 'no'),
};

// The ServerSettings field each settable name writes.
const FIELDS: Record<string, keyof ServerSettings | 'outputLimits'> = {
  'protected-mode': 'protectedMode',
  requirepass: 'requirepass',
  maxclients: 'maxclients',
  timeout: 'timeout',
  'proto-max-bulk-len': 'protoMaxBulkLen',
  'client-query-buffer-limit': 'clientQueryBufferLimit',
  'client-output-buffer-limit': 'outputLimits',
  hz: 'hz',
  loglevel: 'loglevel',
  'repl-backlog-size': 'replBacklogSize',
  'repl-timeout': 'replTimeout',
  'repl-ping-replica-period': 'replPingReplicaPeriod',
  masterauth: 'masterauth',
  masteruser: 'masteruser',
};

/**
 * Applies name/value pairs all or nothing (CONFIG SET takes several since Redis 7). Returns
 * the Redis error text, or null when every value was applied.
 */
export function applySettings(s: ServerSettings, pairs: [string, string][]): string | null {
  const staged: [string, unknown][] = [];
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    const spec = SETTINGS[name];
    if (!spec) return `ERR Unknown option or number of arguments for CONFIG SET - '${rawName}'`;
    if (!spec.set) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - can't set immutable config`;
    if (staged.some(([n]) => n === name)) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - duplicate parameter`;
    const parsed = spec.set(s, value);
    if ('error' in parsed) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - ${parsed.error}`;
    staged.push([name, parsed.value]);
  }
  for (const [name, value] of staged) {
    const field = FIELDS[name]!;
    if (field === 'outputLimits') Object.assign(s, value);
    else (s as unknown as Record<string, unknown>)[field] = value;
  }
  return null;
}
