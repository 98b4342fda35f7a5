export { Keyspace, ReplyError, type KeyspaceOptions, type KeyspaceStats, type Reply } from './keyspace';
export { Server, type ServerOptions } from './server/server';
export type { ServerSettings } from './server/config';
