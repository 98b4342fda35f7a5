// Write one scenario's RDB file (made by a real redis-server) and what redis says it
// holds, one DumpEntry per line, for checking the RDB reader by hand:
//   npx tsx scripts/rdb-expected.ts OUT.rdb [scenario]   -> OUT.rdb, OUT.jsonl
//   npx tsx scripts/rdb-expected.ts --list
import * as fs from 'node:fs';
import { generateRdb, rdbScenarios } from '../test/support/redis-rdb';

async function main() {
  const [out, name = 'defaults'] = process.argv.slice(2);
  if (!out || out === '--list') {
    console.log(rdbScenarios.map((s) => s.name).join('\n'));
    return;
  }
  const scenario = rdbScenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}; one of: ${rdbScenarios.map((s) => s.name).join(', ')}`);
  const gen = await generateRdb(scenario);
  try {
    fs.copyFileSync(gen.file, out);
    // JSON writes -0 as 0: the in-process test compares numbers, the file is for reading.
    const jsonl = out.replace(/\.rdb$/, '') + '.jsonl';
    fs.writeFileSync(jsonl, gen.expected.map((e) => JSON.stringify(e)).join('\n') + '\n');
    if (process.env.VERBOSE) gen.expected.forEach((e, i) => console.log(e.db, e.key, gen.objectEncodings[i]));
    console.log(JSON.stringify({ file: out, expected: jsonl, entries: gen.expected.length, dbs: gen.dbs, functions: gen.functions, encodings: gen.encodings }));
  } finally {
    await gen.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
