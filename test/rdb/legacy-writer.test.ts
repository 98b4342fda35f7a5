// The test-side RDB writer (test/support/rdb-legacy-writer.ts): its checksum, that its
// LZF output decodes and uses every kind of LZF operation, that its container encoders
// pick each encoding they claim to, and that the committed fixtures are exactly what
// scripts/make-rdb-fixtures.ts writes now. (Whether redis agrees with the files is
// scripts/check-rdb-fixtures.ts's job: it needs the real redis tools.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR, buildCorruptFixtures, buildFixtures } from '../../scripts/make-rdb-fixtures';
import { crc64, encodeLength, encodeString, listpack, listpackBacklen, lzfCompress, moduleId, ziplist } from '../support/rdb-legacy-writer';

/** A plain LZF decoder, counting what kinds of operations the data used. */
function lzfDecode(input: Buffer) {
  const out: number[] = [];
  const stats = { literals: 0, refs: 0, longRefs: 0, overlapping: 0, maxDistance: 0, fullLiteral: 0 };
  for (let i = 0; i < input.length; ) {
    const ctrl = input[i++]!;
    if (ctrl < 32) {
      stats.literals++;
      if (ctrl === 31) stats.fullLiteral++;
      for (let k = 0; k <= ctrl; k++) out.push(input[i++]!);
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      len += input[i++]!;
      stats.longRefs++;
    }
    const distance = ((ctrl & 31) << 8) + input[i++]! + 1;
    len += 2;
    stats.refs++;
    stats.maxDistance = Math.max(stats.maxDistance, distance);
    if (distance < len) stats.overlapping++;
    const from = out.length - distance;
    if (from < 0) throw new Error('reference before the start');
    for (let k = 0; k < len; k++) out.push(out[from + k]!);
  }
  return { data: Buffer.from(out), stats };
}

describe('rdb-legacy-writer', () => {
  it('CRC-64/Jones check value', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('LZF round trips, with runs, long matches, far references and full literal runs', () => {
    let x = 1;
    const far = Buffer.from(Array.from({ length: 8192 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24));
    const cases = {
      run: Buffer.from('a'.repeat(300)),
      text: Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(6)),
      far: Buffer.concat([far, far.subarray(0, 200)]),
      literal: Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'),
    };
    const stats: Record<string, ReturnType<typeof lzfDecode>['stats']> = {};
    for (const [name, input] of Object.entries(cases)) {
      const packed = lzfCompress(input);
      const decoded = lzfDecode(packed);
      expect(decoded.data.equals(input), name).toBe(true);
      stats[name] = decoded.stats;
    }
    expect(stats.run!.overlapping).toBeGreaterThan(0);
    expect(stats.run!.longRefs).toBeGreaterThan(0);
    expect(stats.text!.refs).toBeGreaterThan(0);
    expect(stats.far!.maxDistance).toBe(8192);
    expect(stats.literal).toMatchObject({ refs: 0, fullLiteral: 1, literals: 2 });
  });

  it('lengths in every form', () => {
    expect([...encodeLength(5)]).toEqual([0x05]);
    expect([...encodeLength(300)]).toEqual([0x41, 0x2c]);
    expect([...encodeLength(70000)]).toEqual([0x80, 0, 1, 0x11, 0x70]);
    expect([...encodeLength(2n ** 40n)]).toEqual([0x81, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect([...encodeLength(5, '64bit')]).toEqual([0x81, 0, 0, 0, 0, 0, 0, 0, 5]);
  });

  it('strings: int-encoded as Redis does, else raw or LZF', () => {
    expect([...encodeString('-7')]).toEqual([0xc0, 0xf9]);
    expect([...encodeString('12345')]).toEqual([0xc1, 0x39, 0x30]);
    expect([...encodeString('-2000000000')]).toEqual([0xc2, 0x00, 0x6c, 0xca, 0x88]);
    expect([...encodeString('007')]).toEqual([3, 0x30, 0x30, 0x37]);
    expect(encodeString('x'.repeat(100), 'auto')[0]).toBe(0xc3);
  });

  it('ziplist entries use each encoding', () => {
    // Header 10 bytes, then the first entry: prevlen 0 (1 byte), then its encoding byte.
    const enc = (s: string, oldInts = false) => ziplist([s], { oldInts })[11];
    expect([0, 12].map((n) => enc(String(n)))).toEqual([0xf1, 0xfd]);
    expect(['13', '-128', '127'].map((s) => enc(s))).toEqual([0xfe, 0xfe, 0xfe]);
    expect(['128', '-32768'].map((s) => enc(s))).toEqual([0xc0, 0xc0]);
    expect(['32768', '-8388608'].map((s) => enc(s))).toEqual([0xf0, 0xf0]);
    expect(['8388608', '-2147483648'].map((s) => enc(s))).toEqual([0xd0, 0xd0]);
    expect(['2147483648', '-9223372036854775808'].map((s) => enc(s))).toEqual([0xe0, 0xe0]);
    expect(['5', '100000'].map((s) => enc(s, true))).toEqual([0xc0, 0xd0]);
    expect([enc('s'.repeat(63)), enc('m'.repeat(64)), enc('u'.repeat(16384))]).toEqual([63, 0x40, 0x80]);
    // A 303-byte entry (prevlen, 2-byte len14 header, 300 bytes) makes the next prevlen 5 bytes.
    const two = ziplist(['p'.repeat(300), 'x']);
    expect([...two.subarray(10 + 303, 10 + 303 + 5)]).toEqual([0xfe, 0x2f, 0x01, 0, 0]);
    expect(two.readUInt32LE(4)).toBe(10 + 303);
  });

  it('listpack entries use each encoding, with backlens of 1, 2 and 3 bytes', () => {
    const enc = (s: string) => listpack([s])[6];
    expect(['0', '127'].map(enc)).toEqual([0x00, 0x7f]);
    expect(['128', '-1', '-4096', '4095'].map(enc)).toEqual([0xc0, 0xdf, 0xd0, 0xcf]);
    expect(['4096', '-32768', '32768', '-8388608', '8388608', '-2147483648', '2147483648'].map(enc)).toEqual([0xf1, 0xf1, 0xf2, 0xf2, 0xf3, 0xf3, 0xf4]);
    expect([enc('s'.repeat(63)), enc('m'.repeat(64)), enc('L'.repeat(4095)), enc('u'.repeat(4096))]).toEqual([0xbf, 0xe0, 0xef, 0xf0]);
    expect([...listpackBacklen(127)]).toEqual([127]);
    expect([...listpackBacklen(128)]).toEqual([1, 0x80]);
    expect(listpackBacklen(16382).length).toBe(2);
    expect([...listpackBacklen(16383)]).toEqual([0, 0xff, 0xff]); // Redis's threshold: 16383 takes 3 bytes
  });

  it('module ids pack the name in 6-bit characters above a 10-bit version', () => {
    const id = moduleId('fixtmod-A', 3);
    const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let name = '';
    for (let i = 8; i >= 0; i--) name += charset[Number((id >> BigInt(10 + 6 * i)) & 63n)];
    expect([name, Number(id & 1023n)]).toEqual(['fixtmod-A', 3]);
  });

  it('committed fixtures are what scripts/make-rdb-fixtures.ts writes', () => {
    let total = 0;
    for (const f of buildFixtures()) {
      const rdb = fs.readFileSync(path.join(FIXTURE_DIR, `${f.name}.rdb`));
      expect(rdb.equals(f.rdb), `${f.name}.rdb is stale: run npx tsx scripts/make-rdb-fixtures.ts`).toBe(true);
      const jsonl = fs.readFileSync(path.join(FIXTURE_DIR, `${f.name}.jsonl`), 'utf8');
      expect(jsonl).toBe(f.entries.map((e) => JSON.stringify(e) + '\n').join(''));
      expect(rdb.length, `${f.name}.rdb is large`).toBeLessThan(20 * 1024);
      total += rdb.length;
    }
    for (const f of buildCorruptFixtures()) {
      expect(fs.readFileSync(path.join(FIXTURE_DIR, 'corrupt', `${f.name}.rdb`)).equals(f.rdb), f.name).toBe(true);
      total += f.rdb.length;
    }
    expect(total).toBeLessThan(300 * 1024);
    const onDisk = fs.readdirSync(FIXTURE_DIR).filter((n) => n.endsWith('.rdb')).length;
    expect(onDisk).toBe(buildFixtures().length);
  });
});
