export { dumpRdbFile, readRdbRecords, toDumpEntry, type DumpEntry, type StreamValue } from './dump';
export { inspectRdbFile, type RdbInspection } from './inspect';
