// binding.gyp builds the same native sources as CMakeLists.txt (both read
// scripts/native-sources.js). Built in a scratch copy so that it never replaces build/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-gyp-'));

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('node-gyp build', () => {
  it('builds binding.gyp with node-gyp and the addon works', () => {
    for (const entry of ['native', 'scripts', 'binding.gyp', 'package.json']) {
      fs.cpSync(path.join(root, entry), path.join(work, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
    execFileSync(process.execPath, [nodeGyp, 'rebuild', '--nodedir=/usr', '-j', '2'], { cwd: work, stdio: 'pipe' });
    const addon = path.join(work, 'build', 'Release', 'redis_active_active.node');
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const { NativeKeyspace } = require(${JSON.stringify(addon)});
         const k = new NativeKeyspace(1, false, 0);
         process.stdout.write(k.execMany([['SET', 'a', 'gyp'], ['GET', 'a']]).toString());`,
      ],
      { encoding: 'utf8' },
    );
    expect(out).toBe('+OK\r\n$3\r\ngyp\r\n');
  }, 600_000);
});
