// The RDB reader against the committed fixtures (test/fixtures/rdb, made by
// scripts/make-rdb-fixtures.ts and checked against redis-check-rdb and redis-server by
// scripts/check-rdb-fixtures.ts): every NAME.rdb must dump to NAME.jsonl, and every
// corrupt/NAME.rdb (NAME.txt says what is wrong) must fail with an Error naming the
// byte offset.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpRdbFile } from '../../lib/rdb';

const DIR = path.join(__dirname, '..', 'fixtures', 'rdb');
const CORRUPT_DIR = path.join(DIR, 'corrupt');
const rdbFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.rdb')).sort();

interface Entry {
  db: number;
  key: string;
  keyEncoding?: 'base64';
  type: string;
  value: unknown;
}

async function dump(file: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of dumpRdbFile(file)) out.push(e as Entry);
  return out;
}

const keyBytes = (e: Entry) => Buffer.from(e.key, e.keyEncoding === 'base64' ? 'base64' : 'utf8');

/**
 * As the dump prints it (a JSON round trip, so absent and undefined fields are alike),
 * sorted by db then key bytes, set members sorted: the order of keys in a file and of
 * members in a set are not part of the contract; everything else is compared in order.
 */
function normalise(entries: Entry[]): Entry[] {
  return entries
    .map((e) => JSON.parse(JSON.stringify(e.type === 'set' ? { ...e, value: [...(e.value as string[])].sort() } : e)) as Entry)
    .sort((a, b) => a.db - b.db || Buffer.compare(keyBytes(a), keyBytes(b)));
}

describe('RDB fixtures: old versions and encodings', () => {
  it('has fixtures', () => {
    expect(rdbFiles(DIR).length).toBeGreaterThan(20);
  });

  for (const name of rdbFiles(DIR)) {
    it(name, async () => {
      const jsonl = path.join(DIR, name.replace(/\.rdb$/, '.jsonl'));
      const expected = fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry);
      expect(normalise(await dump(path.join(DIR, name)))).toEqual(normalise(expected));
    });
  }
});

describe('RDB fixtures: corrupt files fail with the offset', () => {
  for (const name of rdbFiles(CORRUPT_DIR)) {
    const what = fs.readFileSync(path.join(CORRUPT_DIR, name.replace(/\.rdb$/, '.txt')), 'utf8').trim();
    it(`${name}: ${what}`, async () => {
      const err = await dump(path.join(CORRUPT_DIR, name)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/offset \d+/);
    });
  }
});
