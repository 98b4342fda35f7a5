export { dumpRdbFile, readRdbRecords, toDumpEntry, type DumpEntry, type StreamValue, type ZsetScore } from './dump';
export { inspectRdbFile, type RdbInspection } from './inspect';
export { importRdbFile, importRdbToServer, loadRdbSnapshot, type ImportOptions, type LoadProgress, type RemoteImportOptions, type RemoteImportReport } from './load';
