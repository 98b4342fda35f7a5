// A small RDB writer for tests, independent of the project's native reader: it makes
// files of every RDB version (1..12) with the encodings Redis 7.0 no longer writes
// (zipmaps, ziplists, old int encodings, second expiries, stream v1, ...), and records
// for each key the entry the reader must report (the DumpEntry shape of lib/rdb).
//
// Layout facts come from /work/shared/reference/rdb-format.md. Everything is built with
// plain Buffers so a mistake here cannot hide a mistake in the reader: the files this
// writes are checked against the real redis-check-rdb and redis-server (7.0) by
// scripts/check-rdb-fixtures.ts.
import { isUtf8 } from 'node:buffer';
import type { DumpEntry, StreamValue, ZsetScore } from '../../lib/rdb';

/** A Redis string: text (written as UTF-8) or raw bytes. */
export type Str = string | Buffer;

const bytes = (s: Str): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
const cat = (...parts: (Buffer | number[])[]): Buffer => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));

/** `value` as `width` bytes of two's complement, little-endian. */
export function intLE(value: number | bigint, width: number): Buffer {
  let v = BigInt.asUintN(width * 8, BigInt(value));
  const out = Buffer.alloc(width);
  for (let i = 0; i < width; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** `value` as `width` unsigned bytes, big-endian. */
export function uintBE(value: number | bigint, width: number): Buffer {
  return intLE(value, width).reverse();
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const fits = (v: bigint, bits: number) => v >= -(2n ** BigInt(bits - 1)) && v < 2n ** BigInt(bits - 1);

/**
 * The integer a string holds when Redis would store it as one: canonical decimal (no
 * sign on zero, no leading zeros or '+'), within int64, at most `maxLen` characters.
 * Ziplists try this below 32 characters, listpacks up to 20, RDB strings up to 11.
 */
export function canonicalInt(s: Buffer, maxLen: number): bigint | null {
  if (s.length === 0 || s.length > maxLen) return null;
  const text = s.toString('latin1');
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return null;
  const v = BigInt(text);
  return v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

// ---- checksum and compression ----------------------------------------------------------

const CRC64_POLY = 0x95ac9329ac4bc9b5n; // CRC-64/Jones, reflected
const CRC64_TABLE: bigint[] = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ CRC64_POLY : c >> 1n;
  return c;
});

/** CRC-64/Jones as Redis uses it (init 0, no final xor). */
export function crc64(buf: Buffer, crc = 0n): bigint {
  for (const b of buf) crc = CRC64_TABLE[Number((crc ^ BigInt(b)) & 0xffn)]! ^ (crc >> 8n);
  return crc;
}

/**
 * LZF compression (the format of liblzf, which Redis uses): control byte < 32 is a
 * literal run of ctrl+1 bytes; otherwise a back-reference of (ctrl >> 5) + 2 bytes (a
 * length field of 7 takes one more byte), distance ((ctrl & 31) << 8 | next byte) + 1.
 * Greedy, remembering the last position of each 3-byte sequence; matches may overlap
 * the bytes they produce (runs), which decompressors must copy byte by byte.
 */
export function lzfCompress(input: Buffer): Buffer {
  const out: number[] = [];
  let literal: number[] = [];
  const flushLiteral = () => {
    for (let i = 0; i < literal.length; i += 32) {
      const run = literal.slice(i, i + 32);
      out.push(run.length - 1, ...run);
    }
    literal = [];
  };
  const last = new Map<number, number>();
  const key = (i: number) => (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
  let i = 0;
  while (i < input.length) {
    let len = 0;
    let ref = -1;
    if (i + 2 < input.length) {
      ref = last.get(key(i)) ?? -1;
      last.set(key(i), i);
      if (ref >= 0 && i - ref <= 8192) {
        const max = Math.min(264, input.length - i);
        while (len < max && input[ref + len] === input[i + len]) len++;
      }
    }
    if (len < 3) {
      literal.push(input[i]!);
      i++;
      continue;
    }
    flushLiteral();
    const off = i - ref - 1;
    const n = len - 2;
    if (n < 7) out.push((n << 5) | (off >> 8), off & 0xff);
    else out.push((7 << 5) | (off >> 8), n - 7, off & 0xff);
    for (let k = i + 1; k < i + len && k + 2 < input.length; k++) last.set(key(k), k);
    i += len;
  }
  flushLiteral();
  return Buffer.from(out);
}

// ---- lengths and strings ----------------------------------------------------------------

export type LengthForm = '6bit' | '14bit' | '32bit' | '64bit';

/** An RDB length: the shortest form, or the one asked for (readers must take any). */
export function encodeLength(n: number | bigint, form?: LengthForm): Buffer {
  const v = BigInt(n);
  form ??= v < 64n ? '6bit' : v < 16384n ? '14bit' : v <= 0xffffffffn ? '32bit' : '64bit';
  const max = { '6bit': 63n, '14bit': 16383n, '32bit': 0xffffffffn, '64bit': 2n ** 64n - 1n }[form];
  if (v < 0n || v > max) throw new Error(`length ${v} does not fit ${form}`);
  if (form === '6bit') return Buffer.from([Number(v)]);
  if (form === '14bit') return Buffer.from([0x40 | Number(v >> 8n), Number(v & 0xffn)]);
  if (form === '32bit') return cat([0x80], uintBE(v, 4));
  return cat([0x81], uintBE(v, 8));
}

/** off: never LZF; auto: as Redis (over 20 bytes, when it saves 4+); always: any non-int string. */
export type Compression = 'off' | 'auto' | 'always';

/** An RDB string: int-encoded (0xC0..0xC2) when Redis would, else LZF (0xC3) or raw. */
export function encodeString(s: Str, lzf: Compression = 'off', lengthForm?: LengthForm): Buffer {
  const raw = bytes(s);
  const int = canonicalInt(raw, 11);
  if (int !== null && fits(int, 32)) {
    if (fits(int, 8)) return cat([0xc0], intLE(int, 1));
    if (fits(int, 16)) return cat([0xc1], intLE(int, 2));
    return cat([0xc2], intLE(int, 4));
  }
  if (raw.length > 0 && (lzf === 'always' || (lzf === 'auto' && raw.length > 20))) {
    const packed = lzfCompress(raw);
    if (lzf === 'always' || packed.length + 4 <= raw.length) {
      return cat([0xc3], encodeLength(packed.length, lengthForm), encodeLength(raw.length, lengthForm), packed);
    }
  }
  return cat(encodeLength(raw.length, lengthForm), raw);
}

/** Type 3 scores: a length byte then ASCII, or 253/254/255 for NaN/+inf/-inf. */
export function asciiDouble(score: number): Buffer {
  if (Number.isNaN(score)) return Buffer.from([253]);
  if (score === Infinity) return Buffer.from([254]);
  if (score === -Infinity) return Buffer.from([255]);
  const text = Buffer.from(String(score));
  return cat([text.length], text);
}

const binaryDouble = (score: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(score);
  return b;
};

/** A score as Redis writes it into ziplists and listpacks ("inf", integers, shortest text). */
const scoreText = (score: number) => (score === Infinity ? 'inf' : score === -Infinity ? '-inf' : String(score));

// ---- containers ---------------------------------------------------------------------------

export interface ZiplistOptions {
  /** Only the int16/32/64 encodings of Redis < 2.6 (RDB < 6): no int8, int24 or 0..12 immediates. */
  oldInts?: boolean;
  /** Write every prevlen in the 5-byte form, as cascade updates can leave behind. */
  bigPrevlen?: boolean;
}

/** A ziplist entry's encoding and data, as Redis picks it for the string. */
function ziplistPayload(raw: Buffer, oldInts: boolean): Buffer {
  const v = canonicalInt(raw, 31);
  if (v !== null) {
    if (!oldInts && v >= 0n && v <= 12n) return Buffer.from([0xf1 + Number(v)]);
    if (!oldInts && fits(v, 8)) return cat([0xfe], intLE(v, 1));
    if (fits(v, 16)) return cat([0xc0], intLE(v, 2));
    if (!oldInts && fits(v, 24)) return cat([0xf0], intLE(v, 3));
    if (fits(v, 32)) return cat([0xd0], intLE(v, 4));
    return cat([0xe0], intLE(v, 8));
  }
  const n = raw.length;
  if (n <= 63) return cat([n], raw);
  if (n <= 16383) return cat([0x40 | (n >> 8), n & 0xff], raw);
  return cat([0x80], uintBE(n, 4), raw);
}

/** A ziplist: u32 bytes, u32 tail offset, u16 count, entries (prevlen, encoding, data), 0xFF. */
export function ziplist(items: Str[], opts: ZiplistOptions = {}): Buffer {
  const entries: Buffer[] = [];
  let offset = 10;
  let tail = 10;
  let prevLen = 0;
  for (const item of items) {
    const prev = prevLen < 254 && !opts.bigPrevlen ? Buffer.from([prevLen]) : cat([0xfe], intLE(prevLen, 4));
    const entry = cat(prev, ziplistPayload(bytes(item), !!opts.oldInts));
    tail = offset;
    offset += entry.length;
    prevLen = entry.length;
    entries.push(entry);
  }
  return cat(intLE(offset + 1, 4), intLE(tail, 4), intLE(Math.min(items.length, 0xffff), 2), ...entries, [0xff]);
}

/**
 * A listpack entry's backlen: its encoding+data length in 7-bit groups, most significant
 * first, every byte but the first flagged 128. Sizes follow Redis's thresholds exactly,
 * including their quirk: 16383 takes 3 bytes.
 */
export function listpackBacklen(l: number): Buffer {
  const n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    const group = Math.floor(l / 2 ** (7 * (n - 1 - i))) & 127;
    out[i] = i === 0 ? group : group | 128;
  }
  return out;
}

function listpackEntry(raw: Buffer): Buffer {
  const v = canonicalInt(raw, 20);
  let enc: Buffer;
  if (v !== null) {
    if (v >= 0n && v <= 127n) enc = Buffer.from([Number(v)]);
    else if (v >= -4096n && v <= 4095n) {
      const u = Number(BigInt.asUintN(13, v));
      enc = Buffer.from([0xc0 | (u >> 8), u & 0xff]);
    } else if (fits(v, 16)) enc = cat([0xf1], intLE(v, 2));
    else if (fits(v, 24)) enc = cat([0xf2], intLE(v, 3));
    else if (fits(v, 32)) enc = cat([0xf3], intLE(v, 4));
    else enc = cat([0xf4], intLE(v, 8));
  } else if (raw.length < 64) enc = cat([0x80 | raw.length], raw);
  else if (raw.length < 4096) enc = cat([0xe0 | (raw.length >> 8), raw.length & 0xff], raw);
  else enc = cat([0xf0], intLE(raw.length, 4), raw);
  return cat(enc, listpackBacklen(enc.length));
}

/** A listpack: u32 bytes, u16 count, entries, 0xFF. Integer-looking strings become integer entries. */
export function listpack(items: Str[]): Buffer {
  const entries = items.map((s) => listpackEntry(bytes(s)));
  const total = 6 + entries.reduce((n, e) => n + e.length, 0) + 1;
  return cat(intLE(total, 4), intLE(Math.min(items.length, 0xffff), 2), ...entries, [0xff]);
}

/** An intset: u32 width (2, 4, 8), u32 count, sorted values. Width defaults to the smallest that fits. */
export function intset(values: (number | bigint)[], width?: 2 | 4 | 8): Buffer {
  const vs = values.map(BigInt);
  for (let i = 1; i < vs.length; i++) if (vs[i - 1]! >= vs[i]!) throw new Error('intset values must be sorted and unique');
  width ??= vs.every((v) => fits(v, 16)) ? 2 : vs.every((v) => fits(v, 32)) ? 4 : 8;
  return cat(intLE(width, 4), intLE(vs.length, 4), ...vs.map((v) => intLE(v, width)));
}

export interface ZipmapEntry {
  key: Str;
  value: Str;
  /** Unused bytes after the value (left when a value shrank in place). */
  free?: number;
}

const zipmapLen = (n: number) => (n < 254 ? Buffer.from([n]) : cat([254], intLE(n, 4)));

/** A zipmap: count byte (254 = unknown, count them), then key/value pairs, 0xFF. */
export function zipmap(entries: ZipmapEntry[], count = Math.min(entries.length, 254)): Buffer {
  const parts = entries.map(({ key, value, free = 0 }) => {
    const k = bytes(key);
    const v = bytes(value);
    return cat(zipmapLen(k.length), k, zipmapLen(v.length), [free], v, Buffer.alloc(free));
  });
  return cat([count], ...parts, [0xff]);
}

// ---- streams --------------------------------------------------------------------------------

export interface StreamEntrySpec {
  id: string;
  fields: [string, string][];
  /** XDEL'd: still in the listpack, flagged 1, not reported. */
  deleted?: boolean;
}

export interface StreamNodeSpec {
  /** The master entry's fields; entries with exactly these use the same-fields flag (2). */
  masterFields: string[];
  /** In id order; the first one's id is the node's master id. */
  entries: StreamEntrySpec[];
}

export interface StreamSpec {
  nodes: StreamNodeSpec[];
  lastId: string;
  /** v2+ metadata. */
  firstId?: string;
  maxDeletedId?: string;
  entriesAdded?: number;
  groups: {
    name: string;
    lastId: string;
    entriesRead?: number;
    /** The global PEL, in id order. */
    pending: { id: string; deliveryTime: number; deliveryCount: number }[];
    /** Each pending id belongs to exactly one consumer. */
    consumers: { name: string; seenTime: number; activeTime?: number; pending: string[] }[];
  }[];
}

const parseId = (id: string): [bigint, bigint] => {
  const [ms, seq] = id.split('-');
  return [BigInt(ms!), BigInt(seq!)];
};
const rawId = (id: string) => cat(...parseId(id).map((v) => uintBE(v, 8)));

/** One stream node: its master entry, then entries delta-encoded against the master id. */
export function streamNodeListpack(node: StreamNodeSpec): Buffer {
  const [masterMs, masterSeq] = parseId(node.entries[0]!.id);
  const deleted = node.entries.filter((e) => e.deleted).length;
  const items: (string | bigint | number)[] = [node.entries.length - deleted, deleted, node.masterFields.length, ...node.masterFields, 0];
  for (const e of node.entries) {
    const [ms, seq] = parseId(e.id);
    const same = e.fields.length === node.masterFields.length && e.fields.every(([f], i) => f === node.masterFields[i]);
    items.push((e.deleted ? 1 : 0) | (same ? 2 : 0), ms - masterMs, seq - masterSeq);
    if (same) items.push(...e.fields.map(([, v]) => v), e.fields.length + 3);
    else items.push(e.fields.length, ...e.fields.flat(), 2 * e.fields.length + 4);
  }
  return listpack(items.map(String));
}

// ---- module values -----------------------------------------------------------------------

export type ModuleValue = { sint: bigint } | { uint: bigint } | { float: number } | { double: number } | { string: Str };

const MODULE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A module type id: its 9-character name in 6-bit characters, then a 10-bit encoding version. */
export function moduleId(name: string, encver: number): bigint {
  if (name.length !== 9) throw new Error('module type names have 9 characters');
  let id = 0n;
  for (const ch of name) {
    const c = MODULE_CHARSET.indexOf(ch);
    if (c < 0) throw new Error(`bad module name character ${ch}`);
    id = (id << 6n) | BigInt(c);
  }
  return (id << 10n) | BigInt(encver);
}

// ---- what the reader reports -------------------------------------------------------------

// The expected entries have the reader's dump shape (lib/rdb): the types are shared, the
// values are made here, independently of the reader.
export type Score = ZsetScore;
export type ExpectedStream = StreamValue;
export type ExpectedEntry = DumpEntry;

/** How the reader shows strings: all as UTF-8 text, or all base64 when any is not valid UTF-8. */
function presenter(strings: Buffer[]) {
  const binary = strings.some((s) => !isUtf8(s));
  return { binary, show: (s: Buffer) => s.toString(binary ? 'base64' : 'utf8') };
}

const scoreOut = (s: number): Score => (s === Infinity ? 'inf' : s === -Infinity ? '-inf' : s);

// ---- the file writer -------------------------------------------------------------------------

/** The first version whose files can hold each value type. */
const TYPE_SINCE: Record<number, number> = {
  0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 8, 7: 8, 9: 2, 10: 2, 11: 2, 12: 2, 13: 4, 14: 7,
  15: 9, 16: 10, 17: 10, 18: 10, 19: 10, 20: 11, 21: 11, 22: 12, 23: 12, 24: 12, 25: 12,
};

/** Keys counted for a RESIZEDB or SLOT_INFO written before them. */
interface Section {
  keys: number;
  expires: number;
  slot?: number;
}

export type QuicklistNode = Str[] | { plain: Str };
export type HashTtlField = { field: Str; value: Str; expireAt?: number };

/**
 * Writes one RDB file in order: header, opcodes and keys as called, then end(). Each
 * key method writes its type byte, key and value, and records the entry the reader
 * must report (`entries`, file order). Expiry opcodes apply to the next key.
 */
export class RdbWriter {
  readonly entries: ExpectedEntry[] = [];
  /** Whether the file holds module data (MODULE_AUX or type 7): redis-server cannot load it without the module. */
  hasModuleData = false;
  /** LZF for strings written from now on (keys, values, container blobs). */
  lzf: Compression = 'off';
  /** Force one length form for lengths written from now on (readers must accept any). */
  lengthForm: LengthForm | undefined;

  private readonly parts: (Buffer | (() => Buffer))[] = [];
  private db = 0;
  private expireAt: number | null = null;
  private dbSection: Section | undefined;
  private slotSection: Section | undefined;

  constructor(readonly version: number) {
    if (version < 1 || version > 12) throw new Error(`RDB version ${version} is outside 1..12`);
    this.parts.push(Buffer.from(`REDIS${String(version).padStart(4, '0')}`));
  }

  private since(version: number, what: string) {
    if (this.version < version) throw new Error(`${what} needs RDB version ${version}+, this file is ${this.version}`);
  }

  /** Raw bytes, for deliberately corrupt files. */
  raw(buf: Buffer | number[]): this {
    this.parts.push(Buffer.isBuffer(buf) ? buf : Buffer.from(buf));
    return this;
  }

  private len(n: number | bigint): Buffer {
    if (this.lengthForm === '64bit') this.since(8, '64-bit lengths');
    return encodeLength(n, this.lengthForm);
  }

  /** The length encoder as set now, for counts only known at end(). */
  private lenNow(): (n: number) => Buffer {
    const form = this.lengthForm;
    return (n) => encodeLength(n, form);
  }

  private str(s: Str): Buffer {
    return encodeString(s, this.lzf, this.lengthForm);
  }

  // -- opcodes

  aux(key: string, value: Str): this {
    this.since(7, 'AUX');
    return this.raw(cat([0xfa], this.str(key), this.str(value)));
  }

  selectDb(db: number): this {
    this.db = db;
    this.dbSection = this.slotSection = undefined;
    return this.raw(cat([0xfe], this.len(db)));
  }

  /** RESIZEDB; without sizes, the counts of keys and expiries written to this db after it. */
  resizeDb(dbSize?: number, expiresSize?: number): this {
    this.since(7, 'RESIZEDB');
    const section: Section = (this.dbSection = { keys: 0, expires: 0 });
    const len = this.lenNow();
    this.parts.push(() => cat([0xfb], len(dbSize ?? section.keys), len(expiresSize ?? section.expires)));
    return this;
  }

  /** SLOT_INFO (7.4 cluster): slot, then the counts of keys and expiries written after it. */
  slotInfo(slot: number): this {
    this.since(12, 'SLOT_INFO');
    const section: Section = (this.slotSection = { keys: 0, expires: 0, slot });
    const len = this.lenNow();
    this.parts.push(() => cat([0xf4], len(slot), len(section.keys), len(section.expires)));
    return this;
  }

  /** EXPIRETIME: int32 seconds (RDB 1-2; readers take it in any version). */
  expireSec(seconds: number): this {
    this.expireAt = seconds * 1000;
    return this.raw(cat([0xfd], intLE(seconds, 4)));
  }

  expireMs(ms: number): this {
    this.since(3, 'EXPIRETIME_MS');
    this.expireAt = ms;
    return this.raw(cat([0xfc], intLE(ms, 8)));
  }

  idle(seconds: number): this {
    this.since(9, 'IDLE');
    return this.raw(cat([0xf8], this.len(seconds)));
  }

  freq(counter: number): this {
    this.since(9, 'FREQ');
    return this.raw([0xf9, counter]);
  }

  /** MODULE_AUX: module id, when-opcode 2 (uint), when (1 before keys, 2 after), then values to EOF. */
  moduleAux(name: string, encver: number, when: 1 | 2, values: ModuleValue[]): this {
    this.since(9, 'MODULE_AUX');
    this.hasModuleData = true;
    return this.raw(cat([0xf7], this.len(moduleId(name, encver)), this.len(2), this.len(when), this.moduleValues(values)));
  }

  function2(code: string): this {
    this.since(10, 'FUNCTION2');
    return this.raw(cat([0xf5], this.str(code)));
  }

  /** EOF, then (version 5+) the CRC64 of everything before, or 0 when checksums are off. Returns the file. */
  end(checksum: 'crc' | 'zero' = 'crc'): Buffer {
    this.raw([0xff]);
    const body = Buffer.concat(this.parts.map((p) => (typeof p === 'function' ? p() : p)));
    if (this.version < 5) return body;
    return cat(body, intLE(checksum === 'crc' ? crc64(body) : 0n, 8));
  }

  // -- keys

  private moduleValues(values: ModuleValue[]): Buffer {
    const out: Buffer[] = [];
    for (const v of values) {
      if ('sint' in v) out.push(this.len(1), this.len(BigInt.asUintN(64, v.sint)));
      else if ('uint' in v) out.push(this.len(2), this.len(v.uint));
      else if ('float' in v) {
        const f = Buffer.alloc(4);
        f.writeFloatLE(v.float);
        out.push(this.len(3), f);
      } else if ('double' in v) out.push(this.len(4), binaryDouble(v.double));
      else out.push(this.len(5), this.str(v.string));
    }
    return cat(...out, this.len(0));
  }

  /** Type byte, key, value bytes; records the entry with the pending expiry. */
  private put(type: number, key: Str, value: Buffer, entry: Omit<ExpectedEntry, 'db' | 'key' | 'expireAt'>): this {
    const since = TYPE_SINCE[type];
    if (since === undefined) throw new Error(`unknown value type ${type}`);
    this.since(since, `value type ${type}`);
    const k = bytes(key);
    if (this.slotSection && keyHashSlot(k) !== this.slotSection.slot) {
      throw new Error(`key ${k.toString()} is in slot ${keyHashSlot(k)}, not ${this.slotSection.slot}`);
    }
    for (const s of [this.dbSection, this.slotSection]) {
      if (!s) continue;
      s.keys++;
      if (this.expireAt !== null) s.expires++;
    }
    const binaryKey = !isUtf8(k);
    const { type: t, encoding, value: v, ...rest } = entry;
    this.entries.push({
      db: this.db,
      key: k.toString(binaryKey ? 'base64' : 'utf8'),
      ...(binaryKey ? { keyEncoding: 'base64' as const } : {}),
      type: t,
      ...(encoding ? { encoding } : {}),
      value: v,
      expireAt: this.expireAt,
      ...rest,
    });
    this.expireAt = null;
    return this.raw(cat([type], this.str(k), value));
  }

  private strings(type: number, key: Str, kind: 'list' | 'set', items: Str[], value: Buffer): this {
    const bs = items.map(bytes);
    const p = presenter(bs);
    return this.put(type, key, value, { type: kind, ...(p.binary ? { encoding: 'base64' } : {}), value: bs.map(p.show) });
  }

  private pairs(type: number, key: Str, pairs: [Str, Str][], value: Buffer, ttls?: (number | undefined)[]): this {
    const bs = pairs.map(([f, v]) => [bytes(f), bytes(v)] as const);
    const p = presenter(bs.flat());
    const obj: Record<string, string> = {};
    for (const [f, v] of bs) obj[p.show(f)] = p.show(v);
    const fieldExpireAt: Record<string, number> = {};
    ttls?.forEach((t, i) => t !== undefined && (fieldExpireAt[p.show(bs[i]![0])] = t));
    return this.put(type, key, value, {
      type: 'hash',
      ...(p.binary ? { encoding: 'base64' } : {}),
      value: obj,
      ...(ttls ? { fieldExpireAt } : {}),
    });
  }

  private zsetEntry(type: number, key: Str, pairs: [Str, number][], value: Buffer, sorted: boolean): this {
    if (sorted) {
      for (let i = 1; i < pairs.length; i++) {
        const [a, b] = [pairs[i - 1]!, pairs[i]!];
        if (a[1] > b[1] || (a[1] === b[1] && Buffer.compare(bytes(a[0]), bytes(b[0])) >= 0)) {
          throw new Error('ziplist/listpack zsets must be in (score, member) order');
        }
      }
    }
    const bs = pairs.map(([m]) => bytes(m));
    const p = presenter(bs);
    return this.put(type, key, value, {
      type: 'zset',
      ...(p.binary ? { encoding: 'base64' } : {}),
      // The reader shows a sorted set in its own order (score, then member bytes), not the file's.
      value: pairs
        .map((_, i) => i)
        .sort((i, j) => pairs[i]![1] - pairs[j]![1] || Buffer.compare(bs[i]!, bs[j]!))
        .map((i): [string, Score] => [p.show(bs[i]!), scoreOut(pairs[i]![1])]),
    });
  }

  /** Type 0. */
  string(key: Str, value: Str): this {
    const b = bytes(value);
    const p = presenter([b]);
    return this.put(0, key, this.str(b), { type: 'string', ...(p.binary ? { encoding: 'base64' } : {}), value: p.show(b) });
  }

  /** Type 1: length, then each element as an RDB string. */
  list(key: Str, items: Str[]): this {
    return this.strings(1, key, 'list', items, cat(this.len(items.length), ...items.map((s) => this.str(s))));
  }

  /** Type 2. */
  set(key: Str, members: Str[]): this {
    return this.strings(2, key, 'set', members, cat(this.len(members.length), ...members.map((s) => this.str(s))));
  }

  /** Type 3: scores as ASCII doubles (Redis < 4). */
  zset(key: Str, pairs: [Str, number][]): this {
    const body = cat(this.len(pairs.length), ...pairs.flatMap(([m, s]) => [this.str(m), asciiDouble(s)]));
    return this.zsetEntry(3, key, pairs, body, false);
  }

  /** Type 4. */
  hash(key: Str, pairs: [Str, Str][]): this {
    return this.pairs(4, key, pairs, cat(this.len(pairs.length), ...pairs.flatMap(([f, v]) => [this.str(f), this.str(v)])));
  }

  /** Type 5: scores as 8-byte doubles. */
  zset2(key: Str, pairs: [Str, number][]): this {
    const body = cat(this.len(pairs.length), ...pairs.flatMap(([m, s]) => [this.str(m), binaryDouble(s)]));
    return this.zsetEntry(5, key, pairs, body, false);
  }

  /** Type 7: a module value, reported as `module` with its type name; readers skip its body. */
  moduleValue(key: Str, name: string, encver: number, values: ModuleValue[]): this {
    this.hasModuleData = true;
    const body = cat(this.len(moduleId(name, encver)), this.moduleValues(values));
    return this.put(7, key, body, { type: 'module', value: null, module: name });
  }

  /** Type 9: a hash in a zipmap. `count` overrides the header's count byte (254 = unknown). */
  hashZipmap(key: Str, entries: ZipmapEntry[], count?: number): this {
    return this.pairs(9, key, entries.map((e) => [e.key, e.value]), this.str(zipmap(entries, count)));
  }

  private zlOpts(opts: ZiplistOptions): ZiplistOptions {
    return { oldInts: this.version < 6, ...opts };
  }

  /** Type 10. Old int encodings below version 6, as Redis of that time wrote. */
  listZiplist(key: Str, items: Str[], opts: ZiplistOptions = {}): this {
    return this.strings(10, key, 'list', items, this.str(ziplist(items, this.zlOpts(opts))));
  }

  /** Type 11. */
  setIntset(key: Str, values: (number | bigint)[], width?: 2 | 4 | 8): this {
    return this.strings(11, key, 'set', values.map(String), this.str(intset(values, width)));
  }

  /** Type 12: member, score, ... (integral scores become integer entries). */
  zsetZiplist(key: Str, pairs: [Str, number][], opts: ZiplistOptions = {}): this {
    const zl = ziplist(pairs.flatMap(([m, s]) => [m, scoreText(s)]), this.zlOpts(opts));
    return this.zsetEntry(12, key, pairs, this.str(zl), true);
  }

  /** Type 13. */
  hashZiplist(key: Str, pairs: [Str, Str][], opts: ZiplistOptions = {}): this {
    return this.pairs(13, key, pairs, this.str(ziplist(pairs.flat(), this.zlOpts(opts))));
  }

  /** Type 14: a quicklist of ziplist nodes. */
  listQuicklist(key: Str, nodes: Str[][], opts: ZiplistOptions = {}): this {
    const body = cat(this.len(nodes.length), ...nodes.map((n) => this.str(ziplist(n, this.zlOpts(opts)))));
    return this.strings(14, key, 'list', nodes.flat(), body);
  }

  /** Types 15, 19, 21: stream listpacks v1, v2 (first/max-deleted ids, entries added, entries read), v3 (consumer active time). */
  stream(key: Str, spec: StreamSpec, v: 1 | 2 | 3): this {
    const type = { 1: 15, 2: 19, 3: 21 }[v];
    const id = (s: string) => cat(...parseId(s).map((n) => this.len(n)));
    const live = spec.nodes.flatMap((n) => n.entries).filter((e) => !e.deleted);
    const parts: Buffer[] = [this.len(spec.nodes.length)];
    for (const node of spec.nodes) parts.push(this.str(rawId(node.entries[0]!.id)), this.str(streamNodeListpack(node)));
    parts.push(this.len(live.length), id(spec.lastId));
    if (v >= 2) parts.push(id(spec.firstId!), id(spec.maxDeletedId!), this.len(spec.entriesAdded!));
    parts.push(this.len(spec.groups.length));
    // Redis keeps groups, consumers and PELs in radix trees and writes them in that (byte) order.
    const ordered = (xs: string[], what: string) => {
      for (let i = 1; i < xs.length; i++) if (Buffer.compare(Buffer.from(xs[i - 1]!), Buffer.from(xs[i]!)) >= 0) throw new Error(`${what} out of order`);
    };
    ordered(spec.groups.map((g) => g.name), 'stream groups');
    for (const g of spec.groups) {
      ordered(g.consumers.map((c) => c.name), 'stream consumers');
      ordered(g.pending.map((p) => rawId(p.id).toString('latin1')), 'stream PEL');
      for (const c of g.consumers) ordered(c.pending.map((p) => rawId(p).toString('latin1')), 'consumer PEL');
    }
    const owner = new Map<string, string>();
    for (const g of spec.groups) {
      parts.push(this.str(g.name), id(g.lastId));
      if (v >= 2) parts.push(this.len(g.entriesRead!));
      parts.push(this.len(g.pending.length));
      for (const p of g.pending) parts.push(rawId(p.id), intLE(p.deliveryTime, 8), this.len(p.deliveryCount));
      parts.push(this.len(g.consumers.length));
      for (const c of g.consumers) {
        parts.push(this.str(c.name), intLE(c.seenTime, 8));
        if (v >= 3) parts.push(intLE(c.activeTime!, 8));
        parts.push(this.len(c.pending.length), ...c.pending.map(rawId));
        for (const p of c.pending) owner.set(`${g.name}\n${p}`, c.name);
      }
    }
    const value: ExpectedStream = {
      length: live.length,
      lastId: spec.lastId,
      ...(v >= 2 ? { firstId: spec.firstId!, maxDeletedId: spec.maxDeletedId!, entriesAdded: spec.entriesAdded! } : {}),
      entries: live.map((e) => [e.id, e.fields.flat()]),
      groups: spec.groups.map((g) => ({
        name: g.name,
        lastId: g.lastId,
        ...(v >= 2 ? { entriesRead: g.entriesRead! } : {}),
        pending: g.pending.map((p): [string, string, number, number] => {
          const consumer = owner.get(`${g.name}\n${p.id}`);
          if (!consumer) throw new Error(`pending ${p.id} of group ${g.name} has no consumer`);
          return [p.id, consumer, p.deliveryTime, p.deliveryCount];
        }),
        consumers: g.consumers.map((c) => ({
          name: c.name,
          seenTime: c.seenTime,
          ...(v >= 3 ? { activeTime: c.activeTime! } : {}),
          pending: [...c.pending],
        })),
      })),
    };
    return this.put(type, key, cat(...parts), { type: 'stream', value });
  }

  /** Type 16. */
  hashListpack(key: Str, pairs: [Str, Str][]): this {
    return this.pairs(16, key, pairs, this.str(listpack(pairs.flat())));
  }

  /** Type 17: member, score (integer entry, or the score's text). */
  zsetListpack(key: Str, pairs: [Str, number][]): this {
    return this.zsetEntry(17, key, pairs, this.str(listpack(pairs.flatMap(([m, s]) => [m, scoreText(s)]))), true);
  }

  /** Type 18: per node, container 1 (plain: one raw element) or 2 (packed: a listpack). */
  listQuicklist2(key: Str, nodes: QuicklistNode[]): this {
    const parts: Buffer[] = [this.len(nodes.length)];
    for (const n of nodes) {
      if (Array.isArray(n)) parts.push(this.len(2), this.str(listpack(n)));
      else parts.push(this.len(1), this.str(n.plain));
    }
    const items = nodes.flatMap((n) => (Array.isArray(n) ? n : [n.plain]));
    return this.strings(18, key, 'list', items, cat(...parts));
  }

  /** Type 20. */
  setListpack(key: Str, members: Str[]): this {
    return this.strings(20, key, 'set', members, this.str(listpack(members)));
  }

  /**
   * Types 22-25, hashes with field TTLs (7.4). 22: per field (length absolute ms or 0,
   * field, value). 23: listpack of (field, value, absolute ms or 0). 24: 8-byte min
   * expiry, then per field (length ttl, field, value), ttl 0 for none else
   * expireAt - min + 1. 25: 8-byte min expiry (0 if none), then a type-23 listpack.
   */
  hashWithTtls(key: Str, type: 22 | 23 | 24 | 25, fields: HashTtlField[]): this {
    const ttls = fields.map((f) => f.expireAt);
    const set = ttls.filter((t): t is number => t !== undefined);
    const min = set.length ? Math.min(...set) : 0;
    let body: Buffer;
    if (type === 22 || type === 24) {
      const rel = (t: number | undefined) => (t === undefined ? 0 : type === 22 ? t : t - min + 1);
      body = cat(this.len(fields.length), ...fields.flatMap((f) => [this.len(rel(f.expireAt)), this.str(f.field), this.str(f.value)]));
      if (type === 24) body = cat(intLE(min, 8), body);
    } else {
      body = this.str(listpack(fields.flatMap((f) => [f.field, f.value, String(f.expireAt ?? 0)])));
      if (type === 25) body = cat(intLE(min, 8), body);
    }
    return this.pairs(type, key, fields.map((f) => [f.field, f.value]), body, ttls);
  }
}

// ---- cluster slots (for SLOT_INFO) ----------------------------------------------------------

/** CRC16/XMODEM, the hash Redis Cluster maps keys to slots with. */
function crc16(buf: Buffer): number {
  let crc = 0;
  for (const b of buf) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The cluster slot of a key: CRC16 of the key, or of its first non-empty {hashtag}. */
export function keyHashSlot(key: Str): number {
  const k = bytes(key);
  const open = k.indexOf(0x7b);
  if (open >= 0) {
    const close = k.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(k.subarray(open + 1, close)) % 16384;
  }
  return crc16(k) % 16384;
}
