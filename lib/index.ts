export { Keyspace, ReplyError, type KeyspaceOptions, type KeyspaceStats, type Reply } from './keyspace';
