// The `rdb inspect` and `import` commands.
import * as fs from 'node:fs';

import { SingleBar } from 'cli-progress';

import type { RdbLoadReport } from '../native';
import { dumpRdbFile } from './dump';
import { inspectRdbFile, type RdbInspection } from './inspect';
import { importRdbToServer } from './load';

export async function inspectCommand(file: string, opts: { dump?: boolean; json?: boolean; checksum?: boolean }): Promise<void> {
  const verifyChecksum = opts.checksum !== false;
  if (opts.dump) {
    // A reader that stops early (| head) is not an error; a slow one holds the dump back.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(0);
    });
    let out = '';
    for await (const e of dumpRdbFile(file, { verifyChecksum })) {
      out += JSON.stringify(e) + '\n';
      if (out.length < 1 << 16) continue;
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
      out = '';
    }
    process.stdout.write(out);
    return;
  }
  const info = await inspectRdbFile(file, { verifyChecksum });
  process.stdout.write(opts.json ? JSON.stringify(info, null, 2) + '\n' : describe(file, info));
}

function describe(file: string, info: RdbInspection): string {
  const lines = [`${file}: RDB version ${info.version}, ${info.bytes} bytes`];
  const aux = Object.entries(info.aux);
  if (aux.length) lines.push('aux:', ...aux.map(([k, v]) => `  ${k} = ${printable(v)}`));
  const dbs = Object.entries(info.databases);
  if (!dbs.length) lines.push('no keys');
  for (const [db, d] of dbs) {
    lines.push(`db ${db}: ${d.keys} keys, ${d.expires} with a TTL`);
    for (const [type, encs] of Object.entries(d.types)) {
      const total = Object.values(encs).reduce((a, b) => a + b, 0);
      lines.push(`  ${type.padEnd(7)} ${String(total).padStart(10)}  (${Object.entries(encs).map(([e, n]) => `${e} ${n}`).join(', ')})`);
    }
  }
  if (info.functions) lines.push(`function libraries: ${info.functions}`);
  for (const [m, n] of Object.entries(info.modules)) lines.push(`module ${m}: ${n}`);
  return lines.join('\n') + '\n';
}

// Aux values may be binary (this project's own snapshot header): show those by size.
function printable(v: string): string {
  return /^[\x20-\x7e]*$/.test(v) ? v : `<${Buffer.byteLength(v)} bytes of binary data>`;
}

export interface ImportCommandOptions {
  host: string;
  port: string;
  password?: string;
  user?: string;
  db?: string;
  progress?: boolean;
  checksum?: boolean;
}

export async function importCommand(file: string, opts: ImportCommandOptions): Promise<void> {
  const size = fs.statSync(file).size;
  const showBar = opts.progress !== false && process.stderr.isTTY;
  const bar = new SingleBar({
    format: 'importing [{bar}] {percentage}% | {value}/{total} bytes | {keys} keys',
    stream: process.stderr,
    hideCursor: true,
  });
  if (showBar) bar.start(size, 0, { keys: 0 });
  try {
    const report = await importRdbToServer(file, {
      host: opts.host,
      port: Number(opts.port),
      password: opts.password,
      user: opts.user,
      db: opts.db === undefined ? undefined : Number(opts.db),
      verifyChecksum: opts.checksum !== false,
      onProgress: showBar ? (p) => bar.update(p.bytes, { keys: p.keys }) : undefined,
    });
    if (showBar) bar.stop();
    process.stdout.write(summary(file, report, report.serverErrors, report.serverErrorSamples));
    if (report.serverErrors) process.exitCode = 1;
  } catch (err) {
    if (showBar) bar.stop();
    throw err;
  }
}

function summary(file: string, r: RdbLoadReport, serverErrors: number, samples: string[]): string {
  const lines = [`imported ${r.keys} keys from ${file} (RDB version ${r.version}, ${r.bytes} bytes) with ${r.commands} commands`];
  if (r.expiredKeys) lines.push(`left out ${r.expiredKeys} keys whose TTL had passed`);
  if (r.otherDbKeys) lines.push(`left out ${r.otherDbKeys} keys of other databases`);
  if (r.fieldTtlsDropped) lines.push(`imported ${r.fieldTtlsDropped} hash fields without their field TTL (not supported here)`);
  if (r.expiredFields) lines.push(`left out ${r.expiredFields} hash fields whose field TTL had passed`);
  for (const [reason, n] of Object.entries(r.skipped ?? {})) lines.push(`could not import ${n} × ${reason}`);
  if (serverErrors) lines.push(`the server refused ${serverErrors} commands, e.g.:`, ...samples.map((s) => `  ${s}`));
  return lines.join('\n') + '\n';
}
