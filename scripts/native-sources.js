#!/usr/bin/env node
// The native sources: every .cc under native/ but the fuzz targets. binding.gyp and
// scripts/fuzz.sh read this list; CMakeLists.txt globs by the same rule.
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
process.stdout.write(sources.join('\n'));
