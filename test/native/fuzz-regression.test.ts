// Replays the committed fuzz corpus (test/fuzz-corpus) through the libFuzzer targets built
// with ASan and UBSan: every input that ever found new code must still pass. Exploration
// runs on demand: scripts/fuzz.sh SECONDS.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const hasClang = spawnSync('clang++', ['--version']).status === 0;

describe.skipIf(!hasClang)('fuzz corpus regression (ASan + UBSan)', () => {
  for (const target of ['effects_fuzzer', 'commands_fuzzer', 'request_parser_fuzzer', 'rdb_reader_fuzzer', 'zset_order_fuzzer', 'list_seq_fuzzer']) {
    it(`${target} passes every corpus input`, () => {
      const r = spawnSync('scripts/fuzz.sh', ['0', target], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr.slice(-3000)).toBe(0);
      expect(r.stderr).toMatch(/Done \d+ runs/);
    }, 600_000);
  }
});
