// An RDB file as JSON-ready entries, one per key: what `rdb inspect --dump` prints, one
// JSON object per line, for diffing two files or a file and a live server.
import * as fs from 'node:fs';

import { binding, type RdbKeyRecord, type RdbReaderOptions, type RdbRecord, type RdbSummary } from '../native';

export interface StreamValue {
  length: number;
  lastId: string;
  firstId?: string;
  maxDeletedId?: string;
  entriesAdded?: number;
  entries: [string, string[]][];
  groups: {
    name: string;
    lastId: string;
    entriesRead?: number;
    pending: [string, string, number, number][];
    consumers: { name: string; seenTime: number; activeTime?: number; pending: string[] }[];
  }[];
}

/** A sorted-set score: a number, or infinity as text (JSON has no infinities). */
export type ZsetScore = number | 'inf' | '-inf';

export interface DumpEntry {
  db: number;
  key: string;
  keyEncoding?: 'base64';
  type: RdbKeyRecord['type'];
  /** Present when a string of the value is not valid UTF-8: then every string of the value is base64. */
  encoding?: 'base64';
  value: string | string[] | Record<string, string> | [string, ZsetScore][] | StreamValue | null;
  expireAt: number | null;
  fieldExpireAt?: Record<string, number>;
  module?: string;
}

/** Reads a file in chunks through the native reader; yields each chunk's records. */
export async function* readRdbRecords(path: string, options: RdbReaderOptions = {}): AsyncGenerator<RdbRecord[], RdbSummary> {
  const reader = new binding.RdbReader(options);
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    const records = reader.feed(chunk as Buffer);
    if (records.length) yield records;
  }
  const last = reader.finish();
  if (last.length) yield last;
  return reader.summary();
}

/** Every key of an RDB file as a DumpEntry, in file order; throws on corrupt input. */
export async function* dumpRdbFile(path: string, options: RdbReaderOptions = {}): AsyncGenerator<DumpEntry> {
  for await (const records of readRdbRecords(path, options)) {
    for (const r of records) if (r.kind === 'key') yield toDumpEntry(r);
  }
}

function anyBuffer(v: unknown): boolean {
  if (Buffer.isBuffer(v)) return true;
  if (Array.isArray(v)) return v.some(anyBuffer);
  if (v && typeof v === 'object') return Object.values(v).some(anyBuffer);
  return false;
}

// Every string as base64 (when the value holds bytes that are not text) or as is.
function mapStrings(v: unknown, asBase64: boolean): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'string') return asBase64 ? Buffer.from(v, 'utf8').toString('base64') : v;
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, asBase64));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, asBase64);
    return out;
  }
  return v;
}

// Stream ids, times and counts stay as they are: only names, fields and values are strings.
function mapStream(s: StreamValue, asBase64: boolean): StreamValue {
  const str = (x: unknown) => mapStrings(x, asBase64) as string;
  return {
    ...s,
    entries: s.entries.map(([id, fv]) => [id, fv.map(str)]),
    groups: s.groups.map((g) => ({
      ...g,
      name: str(g.name),
      pending: g.pending.map(([id, consumer, t, n]) => [id, str(consumer), t, n]),
      consumers: g.consumers.map((c) => ({ ...c, name: str(c.name) })),
    })),
  };
}

const scoreOf = (s: ZsetScore) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s);

function byScore(base64: boolean) {
  const bytes = (m: string) => Buffer.from(m, base64 ? 'base64' : 'utf8');
  return (a: [string, ZsetScore], b: [string, ZsetScore]) =>
    scoreOf(a[1]) - scoreOf(b[1]) || Buffer.compare(bytes(a[0]), bytes(b[0]));
}

export function toDumpEntry(r: RdbKeyRecord): DumpEntry {
  const binaryKey = Buffer.isBuffer(r.key);
  const b64 = anyBuffer(r.value);
  // Built in the order the JSON lines show: db, key, keyEncoding, type, encoding, value, expireAt...
  const e = {
    db: r.db,
    key: binaryKey ? (r.key as Buffer).toString('base64') : (r.key as string),
    ...(binaryKey ? { keyEncoding: 'base64' as const } : {}),
    type: r.type,
    ...(b64 ? { encoding: 'base64' as const } : {}),
    value: null as DumpEntry['value'],
    expireAt: r.expireAt,
  } as DumpEntry;
  switch (r.type) {
    case 'hash': {
      const flat = mapStrings(r.value, b64) as string[];
      const obj: Record<string, string> = Object.create(null);
      const ttl: Record<string, number> = Object.create(null);
      for (let i = 0; i + 1 < flat.length; i += 2) {
        obj[flat[i]] = flat[i + 1];
        const t = r.fieldExpireAt?.[i / 2];
        if (t) ttl[flat[i]] = t;
      }
      e.value = obj;
      if (r.fieldExpireAt) e.fieldExpireAt = ttl;
      break;
    }
    case 'stream':
      e.value = mapStream(r.value as StreamValue, b64);
      break;
    case 'module':
      e.module = r.module;
      break;
    case 'zset':
      // A sorted set's own order (score, then member bytes), whatever order the file used:
      // Redis writes skiplists from the highest score down.
      e.value = (mapStrings(r.value, b64) as [string, ZsetScore][]).sort(byScore(b64));
      break;
    default:
      e.value = mapStrings(r.value, b64) as DumpEntry['value'];
  }
  return e;
}
