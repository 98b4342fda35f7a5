// Comparing one raw reply from redis-server (the truth) with one from this project (the
// embedded keyspace, or the server over a socket), in RESP2 or RESP3. Each function
// returns null when they agree, else a short reason.
//
// RESP3 aggregates are understood where order or picks are compared: sets (~) and arrays
// (*) hold items, maps (%) hold key/value pairs, and a pair is the same whether it comes
// as two items of a flat RESP2 array, an entry of a map, or a two-item array (RESP3
// ZRANGE ... WITHSCORES, HRANDFIELD ... WITHVALUES). Doubles (,) and nulls (_) are items
// compared by their bytes like any other.
import { aggregateAt, parseReply, splitReplies, type Argv } from './resp';

/** Printable form of raw bytes: \r \n \0 and non-ASCII escaped, long values shortened. */
export function show(buf: Buffer, max = 160): string {
  let s = '';
  for (const byte of buf.subarray(0, max)) {
    if (byte === 0x0d) s += '\\r';
    else if (byte === 0x0a) s += '\\n';
    else if (byte === 0x5c) s += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) s += String.fromCharCode(byte);
    else s += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return buf.length > max ? `"${s}"... (${buf.length} bytes)` : `"${s}"`;
}

/** Where two long replies start to differ, with a window of each side; '' for short ones. */
export function showDifference(expected: Buffer, actual: Buffer, max = 160, label = 'ours'): string {
  if (expected.length <= max && actual.length <= max) return '';
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 16);
  const window = (b: Buffer) => show(b.subarray(from, from + 64), 64);
  return `first difference at byte ${i} (lengths ${expected.length} and ${actual.length}): redis ${window(expected)}, ${label} ${window(actual)}`;
}

/** A command for messages: SET "k" "v" (long argument lists shortened). */
export function showCommand(argv: Argv, maxArgs = 12): string {
  const shown = argv
    .slice(0, maxArgs)
    .map((a, i) => (i === 0 ? String(a) : show(typeof a === 'string' ? Buffer.from(a) : a, 40)));
  if (argv.length > maxArgs) shown.push(`... (${argv.length - 1} arguments)`);
  return shown.join(' ');
}

/**
 * Raw items of a top-level aggregate reply (array, set, push; a map's keys and values
 * alternating), or null when the reply is not one (nil arrays included).
 */
export function arrayItems(raw: Buffer): Buffer[] | null {
  const agg = aggregateAt(raw);
  if (!agg) return null;
  return splitReplies(raw.subarray(agg.itemsStart, agg.end));
}

function chunk(items: Buffer[], size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < items.length; i += size) out.push(Buffer.concat(items.slice(i, i + size)));
  return out;
}

const PAIR_HEADER = Buffer.from('*2\r\n');

/** A RESP3 pair: a two-item array ([member, score], [field, value]). */
const isPairArray = (item: Buffer) => item.subarray(0, PAIR_HEADER.length).equals(PAIR_HEADER);

/**
 * The items of an aggregate reply as comparable keys: single items, or pairs (the two
 * raw items back to back). A map always gives pairs; with `pairs`, an array gives its
 * two-item arrays' contents when every item is one (RESP3), else consecutive items.
 */
export function itemKeys(raw: Buffer, pairs: boolean): Buffer[] | null {
  const items = arrayItems(raw);
  if (!items) return null;
  if (raw[0] === 0x25 /* '%' */) return chunk(items, 2);
  if (!pairs) return items;
  if (items.length > 0 && items.every(isPairArray)) return items.map((i) => i.subarray(PAIR_HEADER.length));
  return chunk(items, 2);
}

/** Aggregate replies of different kinds (a set where Redis sends an array...): a reason, else null. */
function kindDiffers(expected: Buffer, actual: Buffer): string | null {
  return expected[0] === actual[0]
    ? null
    : `reply types differ ('${String.fromCharCode(expected[0] ?? 0)}' vs '${String.fromCharCode(actual[0] ?? 0)}')`;
}

function sortedJoin(items: Buffer[]): Buffer {
  return Buffer.concat([...items].sort(Buffer.compare).flatMap((b) => [b, Buffer.from('|')]));
}

export function compareBytes(expected: Buffer, actual: Buffer): string | null {
  return expected.equals(actual) ? null : 'replies differ';
}

/** Arrays compared as multisets of items (or of pairs); anything else byte for byte. */
export function compareUnordered(expected: Buffer, actual: Buffer, pairs: boolean): string | null {
  const e = itemKeys(expected, pairs);
  const a = itemKeys(actual, pairs);
  if (!e || !a) return compareBytes(expected, actual);
  const kind = kindDiffers(expected, actual);
  if (kind) return kind;
  if (e.length !== a.length) return `array lengths differ (${e.length} vs ${a.length})`;
  return sortedJoin(e).equals(sortedJoin(a)) ? null : 'different items (order ignored)';
}

/** Integer replies within `tolerance` of each other when both are >= 0 (TTLs); else exact. */
export function compareNear(expected: Buffer, actual: Buffer, tolerance: number): string | null {
  const e = parseReply(expected);
  const a = parseReply(actual);
  if (typeof e === 'number' && typeof a === 'number' && e >= 0 && a >= 0) {
    return Math.abs(e - a) <= tolerance ? null : `differ by more than ${tolerance}`;
  }
  return compareBytes(expected, actual);
}

export interface PickOptions {
  /** Items of an array reply must be pairwise distinct (SPOP n, SRANDMEMBER +n). */
  distinct?: boolean;
  /** Items are [field, value] pairs (HRANDFIELD ... WITHVALUES). */
  pairs?: boolean;
}

/**
 * Random picks: our reply must have the shape of Redis's (same kind, same
 * array length) and draw only from `universe` (a raw reply listing what may be picked).
 */
export function comparePick(expected: Buffer, actual: Buffer, universe: Buffer, opts: PickOptions): string | null {
  const pool = itemKeys(universe, opts.pairs ?? false) ?? [];
  const inPool = (b: Buffer) => pool.some((p) => p.equals(b));
  if (expected[0] === 0x24 /* '$' */ && arrayItems(universe) && !expected.equals(Buffer.from('$-1\r\n'))) {
    if (actual[0] !== 0x24) return 'expected a bulk string';
    return inPool(actual) ? null : 'picked something that is not in ' + show(universe);
  }
  const e = itemKeys(expected, opts.pairs ?? false);
  if (!e || e.length === 0) return compareBytes(expected, actual);
  const a = itemKeys(actual, opts.pairs ?? false);
  if (!a) return 'expected an array';
  const kind = kindDiffers(expected, actual);
  if (kind) return kind;
  if (a.length !== e.length) return `picked ${a.length} items, redis picked ${e.length}`;
  const stray = a.find((b) => !inPool(b));
  if (stray) return `picked ${show(stray)}, not in ${show(universe)}`;
  if (opts.distinct && new Set(a.map((b) => b.toString('latin1'))).size !== a.length) return 'picks are not distinct';
  return null;
}
