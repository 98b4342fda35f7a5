// RDB files written by a real redis-server (7.0: RDB v10) in every encoding it has, read
// back by the project's reader: each key exactly as redis itself reports it, and the
// counts redis reports per db. redis-check-rdb vouches for each file first, so a failure
// here is the reader's, not the file's. Scenarios: test/support/redis-rdb.ts.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpRdbFile, inspectRdbFile } from '../../lib/rdb';
import { generateRdb, rdbScenarios, type DumpEntry, type GeneratedRdb } from '../support/redis-rdb';
import { hasRedisServer, redisServerBin } from '../support/redis-server';

const run = promisify(execFile);
const checkRdb = redisServerBin && path.join(path.dirname(redisServerBin), 'redis-check-rdb');
const hasCheckRdb = !!checkRdb && fs.existsSync(checkRdb);

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Only what redis leaves unordered is sorted: entries (by db, then key) and set members. Hashes compare as objects. */
function normalise(entries: DumpEntry[]): DumpEntry[] {
  return entries
    .map((e) => (e.type === 'set' && Array.isArray(e.value) ? { ...e, value: [...(e.value as string[])].sort(cmp) } : e))
    .sort((a, b) => a.db - b.db || cmp(a.key, b.key) || cmp(a.keyEncoding ?? '', b.keyEncoding ?? ''));
}

describe.skipIf(!hasRedisServer)('RDB files written by redis-server', () => {
  describe.each(rdbScenarios)('$name', (scenario) => {
    let gen: GeneratedRdb;
    beforeAll(async () => {
      gen = await generateRdb(scenario);
    });
    afterAll(async () => {
      await gen?.cleanup();
    });

    it('holds the encodings it is meant to force', () => {
      for (const enc of scenario.encodings) expect(gen.encodings, `OBJECT ENCODING ${enc}`).toHaveProperty([enc]);
      for (const enc of scenario.absent ?? []) expect(gen.encodings, `OBJECT ENCODING ${enc}`).not.toHaveProperty([enc]);
    });

    it.skipIf(!hasCheckRdb)('redis-check-rdb accepts it', async () => {
      const { stdout } = await run(checkRdb!, [gen.file]);
      expect(stdout).toContain('RDB looks OK');
    });

    it('dumpRdbFile gives every key as redis reports it', async () => {
      const got: DumpEntry[] = [];
      for await (const entry of dumpRdbFile(gen.file)) got.push(entry);
      const [have, want] = [normalise(got), normalise(gen.expected)];
      const id = (e: DumpEntry) => `${e.db} ${e.key}${e.keyEncoding ? ' (base64)' : ''}`;
      expect(have.map(id)).toEqual(want.map(id));
      // Key by key (soft): every differing key reported, each with a diff of its own size.
      for (let i = 0; i < want.length; i++) expect.soft(have[i], id(want[i]!)).toEqual(want[i]);
    });

    it('inspectRdbFile counts what redis counts', async () => {
      const info = await inspectRdbFile(gen.file);
      expect(info.version).toBe(10); // what 7.0 writes
      expect(info.aux['redis-ver']).toBe(gen.redisVersion);
      expect(info.functions).toBe(gen.functions);
      expect(Object.keys(info.databases).sort()).toEqual(Object.keys(gen.dbs).sort());
      for (const [db, counts] of Object.entries(gen.dbs)) {
        const got = info.databases[db]!;
        expect({ keys: got.keys, expires: got.expires }, `db ${db}`).toEqual(counts);
        // types: type -> encoding -> keys; the totals per type must match redis's TYPE.
        const want: Record<string, number> = {};
        for (const e of gen.expected) if (e.db === Number(db)) want[e.type] = (want[e.type] ?? 0) + 1;
        const sums = Object.entries(got.types).map(([type, byEnc]) => [type, Object.values(byEnc).reduce((a, b) => a + b, 0)]);
        expect(Object.fromEntries(sums), `db ${db} types`).toEqual(want);
      }
    });
  });
});
