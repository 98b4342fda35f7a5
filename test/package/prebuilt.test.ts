// The npm package must work where nothing can be compiled: installed from `npm pack` with
// install scripts off, it loads the prebuilt binary from prebuilds/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'raa-pack-'));

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm package', () => {
  it('installs from npm pack with --ignore-scripts and runs from the prebuilt binary', () => {
    expect(fs.existsSync(path.join(root, 'prebuilds', 'linux-x64')), 'run npm run build first').toBe(true);
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    // Offline from the npm cache, no scripts: nothing can compile or download.
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, packed)],
      { cwd: app, stdio: 'pipe' },
    );
    const installed = path.join(app, 'node_modules', 'redis-active-active');
    expect(fs.existsSync(path.join(installed, 'build'))).toBe(false);

    // A PATH with node only: no compiler, no cmake, no python.
    const binDir = path.join(work, 'bin');
    fs.mkdirSync(binDir);
    fs.symlinkSync(process.execPath, path.join(binDir, 'node'));
    const script = `
      const gyp = require('node-gyp-build');
      const { Keyspace } = require('redis-active-active');
      const a = new Keyspace({ instanceId: 1 }), b = new Keyspace({ instanceId: 2 });
      a.exec(['INCRBY', 'n', '5']); b.exec(['INCRBY', 'n', '7']);
      b.applyEffects(a.drainEffects()); a.applyEffects(b.drainEffects());
      console.log(JSON.stringify({ loaded: gyp.resolve(require('path').dirname(require.resolve('redis-active-active/package.json'))), n: a.exec(['GET', 'n']).toString(), same: a.digest() === b.digest() }));
    `;
    const out = JSON.parse(
      execFileSync(path.join(binDir, 'node'), ['-e', script], { cwd: app, env: { PATH: binDir }, encoding: 'utf8' }),
    );
    expect(out.loaded).toContain(path.join('redis-active-active', 'prebuilds', 'linux-x64'));
    expect(out.n).toBe('12');
    expect(out.same).toBe(true);

    const esm = execFileSync(
      path.join(binDir, 'node'),
      ['--input-type=module', '-e', "import { Keyspace } from 'redis-active-active'; const k = new Keyspace({ instanceId: 1 }); k.exec(['SET', 'a', 'esm']); console.log(k.exec(['GET', 'a']).toString())"],
      { cwd: app, env: { PATH: binDir }, encoding: 'utf8' },
    );
    expect(esm.trim()).toBe('esm');

    // The command runs through its shebang (env -S, which sets malloc's huge pages).
    const help = execFileSync(path.join(app, 'node_modules', '.bin', 'redis-active-active'), ['--help'], {
      cwd: app, env: { PATH: binDir }, encoding: 'utf8',
    });
    expect(help).toContain('Usage: redis-active-active');
  });
});
