#!/usr/bin/env node
// The one list of native sources, read by both CMakeLists.txt and binding.gyp.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
function walk(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'fuzz' ? [] : walk(rel);
    return e.name.endsWith('.cc') ? [rel] : [];
  });
}
const sources = walk('native').sort();
process.stdout.write(process.argv.includes('--cmake') ? sources.join(';') : sources.join('\n'));
