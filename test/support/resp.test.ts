// The test toolkit itself: RESP3 framing and parsing (resp.ts) and the RESP3-aware
// comparisons (compare.ts) the compat suites rely on. A comparison that wrongly agrees
// would hide server bugs, so each check is shown failing as well as passing.
import { describe, expect, it } from 'vitest';

import { compareBytes, comparePick, compareUnordered, itemKeys } from './compare';
import { parseReply, replyEnd, RespError, RespMap, RespSet, RespVerbatim, splitReplies } from './resp';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('RESP3 framing', () => {
  it('finds the end of every reply type Redis 7.0 sends', () => {
    const replies = [
      '+OK\r\n',
      '-ERR x\r\n',
      ':-5\r\n',
      '$3\r\na\r\n\r\n',
      '$-1\r\n',
      '*-1\r\n',
      '_\r\n',
      '#t\r\n',
      ',1.5\r\n',
      ',-inf\r\n',
      '(12345678901234567890\r\n',
      '!5\r\nERR x\r\n',
      '=8\r\ntxt:ab\r\n\r\n',
      '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n*2\r\n_\r\n,2\r\n',
      '~2\r\n$1\r\nx\r\n$1\r\ny\r\n',
      '>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n',
      '|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n',
    ];
    expect(splitReplies(b(replies.join('')))).toEqual(replies.map(b));
    for (const r of replies) {
      for (let cut = 1; cut < r.length; cut++) expect(replyEnd(b(r.slice(0, cut))), `${r} cut at ${cut}`).toBe(-1);
    }
    expect(() => replyEnd(b('?1\r\n'))).toThrow(/unexpected type byte/);
  });

  it('parses RESP3 values', () => {
    expect(parseReply(b('_\r\n'))).toBeNull();
    expect(parseReply(b('#f\r\n'))).toBe(false);
    expect(parseReply(b(',0.10000000000000001\r\n'))).toBe(0.1);
    expect(parseReply(b(',inf\r\n'))).toBe(Infinity);
    expect(parseReply(b('(1\r\n'))).toBe(1n);
    expect(parseReply(b('!3\r\nERR\r\n'))).toEqual(new RespError('ERR'));
    const v = parseReply(b('=7\r\ntxt:abc\r\n')) as RespVerbatim;
    expect([v.format, v.text.toString()]).toEqual(['txt', 'abc']);
    const m = parseReply(b('%1\r\n$5\r\nproto\r\n:3\r\n')) as RespMap;
    expect(m).toBeInstanceOf(RespMap);
    expect(m.get('proto')).toBe(3);
    const s = parseReply(b('~1\r\n$1\r\nx\r\n')) as RespSet;
    expect([s.push, s.items]).toEqual([false, [b('x')]]);
    expect((parseReply(b('>1\r\n$1\r\nx\r\n')) as RespSet).push).toBe(true);
    expect(parseReply(b('|1\r\n+a\r\n:1\r\n:7\r\n'))).toBe(7);
  });
});

describe('RESP3-aware comparisons', () => {
  const map = '%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n';
  const mapSwapped = '%2\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n';
  const pairs = '*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n';
  const pairsSwapped = '*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n';

  it('maps and pair arrays give the same pairs; flat RESP2 arrays too', () => {
    const flat = '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n';
    expect(itemKeys(b(map), false)).toEqual(itemKeys(b(flat), true));
    expect(itemKeys(b(pairs), true)).toEqual(itemKeys(b(flat), true));
    expect(itemKeys(b('_\r\n'), true)).toBeNull();
  });

  it('unordered: same items in another order agree; other items, types or pairings do not', () => {
    expect(compareUnordered(b(map), b(mapSwapped), true)).toBeNull();
    expect(compareUnordered(b(pairs), b(pairsSwapped), true)).toBeNull();
    expect(compareUnordered(b('~2\r\n$1\r\nx\r\n$1\r\ny\r\n'), b('~2\r\n$1\r\ny\r\n$1\r\nx\r\n'), false)).toBeNull();
    expect(compareUnordered(b('~2\r\n$1\r\nx\r\n$1\r\ny\r\n'), b('*2\r\n$1\r\ny\r\n$1\r\nx\r\n'), false)).toMatch(/types differ/);
    expect(compareUnordered(b(map), b('%2\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n1\r\n'), true)).toMatch(/different items/);
    expect(compareUnordered(b(pairs), b('*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n'), true)).toMatch(/different/);
    expect(compareUnordered(b('_\r\n'), b('*0\r\n'), false)).toMatch(/differ/);
    expect(compareBytes(b('_\r\n'), b('$-1\r\n'))).toMatch(/differ/);
  });

  it('pick: RESP3 pairs drawn from a map universe', () => {
    const pick = '*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n';
    expect(comparePick(b(pick), b('*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n'), b(map), { pairs: true })).toBeNull();
    expect(comparePick(b(pick), b('*1\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n'), b(map), { pairs: true })).toMatch(/not in/);
    const set = '~3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n';
    expect(comparePick(b('~1\r\n$1\r\nx\r\n'), b('~1\r\n$1\r\nz\r\n'), b(set), {})).toBeNull();
    expect(comparePick(b('~1\r\n$1\r\nx\r\n'), b('*1\r\n$1\r\nz\r\n'), b(set), {})).toMatch(/types differ/);
    expect(comparePick(b('$1\r\nx\r\n'), b('$1\r\ny\r\n'), b(set), {})).toBeNull();
    expect(comparePick(b('_\r\n'), b('$-1\r\n'), b('~0\r\n'), {})).toMatch(/differ/);
  });
});
