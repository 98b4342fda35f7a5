#!/usr/bin/env node
// prebuildify calls "node-gyp rebuild --target=... --release"; build with cmake-js instead,
// into build/Release where prebuildify collects the .node file. Nothing is downloaded:
// cmake-js takes the Node-API headers from its own dependency (package.json "binary").
const { spawnSync } = require('child_process');
const path = require('path');

const debug = process.argv.includes('--debug');
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const args = [cmakeJs, 'rebuild', '--out', 'build'];
if (debug) args.push('--debug');
const r = spawnSync(process.execPath, args, { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
