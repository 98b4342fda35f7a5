// `rdb inspect`: what a file holds, without building its values (the reader only counts).
import { type RdbSummary } from '../native';
import { readRdbRecords } from './dump';

export interface RdbInspection {
  version: number;
  bytes: number;
  aux: Record<string, string>;
  databases: Record<string, { keys: number; expires: number; types: Record<string, Record<string, number>> }>;
  functions: number;
  modules: Record<string, number>;
}

export async function inspectRdbFile(path: string, options: { verifyChecksum?: boolean; allowNewerVersion?: boolean } = {}): Promise<RdbInspection> {
  const it = readRdbRecords(path, { ...options, records: false });
  let step = await it.next();
  while (!step.done) step = await it.next();
  const s: RdbSummary = step.value;
  return { version: s.version, bytes: s.bytes, aux: s.aux, databases: s.databases, functions: s.functions, modules: s.modules };
}
