export { Keyspace, ReplyError, type KeyspaceOptions, type KeyspaceStats, type Reply } from './keyspace';
export { Server, type ServerOptions } from './server/server';
export type { ServerSettings } from './server/config';
export {
  dumpRdbFile,
  importRdbFile,
  importRdbToServer,
  inspectRdbFile,
  loadRdbSnapshot,
  type DumpEntry,
  type RdbInspection,
  type ImportOptions as RdbImportOptions,
  type RemoteImportOptions as RdbRemoteImportOptions,
} from './rdb';
export type { RdbWriteOptions } from './keyspace';
export type { RdbLoadReport } from './native';
