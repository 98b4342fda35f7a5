// What COMMAND INFO and COMMAND DOCS say about each command the server runs: the native
// keyspace commands and the server's own. Flags, ACL categories, key specs and tips are
// Redis 7.0's for the same command (the COMMAND tests compare them with a real
// redis-server); summaries and complexities are ours, short. The formats of `keys` and
// `args` are described in command-spec.ts. ACL categories implied by the flags (@read,
// @write, @fast/@slow, @admin/@dangerous...) and the movablekeys flag are derived, not
// listed. Subcommands are those the server implements (CLIENT NO-TOUCH and CLIENT SETINFO
// are Redis 7.2's).
import type { CommandSpec } from './command-spec';

export const COMMAND_TABLE: Record<string, CommandSpec> = {
  append: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,insert 1', group: 'string', since: '2.0.0', complexity: 'O(1)',
    summary: 'Appends a string to the value of a key, creating the key if needed.',
    args: 'key value',
  },
  auth: {
    flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '1.0.0', complexity: 'O(N)',
    summary: 'Authenticates the connection as a user.',
    args: '[username] password',
  },
  bgsave: {
    flags: 'admin noscript no_async_loading', group: 'server', since: '1.0.0', complexity: 'O(1)',
    summary: 'Saves the snapshot file (synchronously here), then answers as Redis does.',
    args: '[SCHEDULE]',
  },
  client: {
    flags: '', group: 'connection', since: '2.4.0', complexity: 'Per subcommand',
    summary: 'Commands about client connections.',
    subcommands: {
      setname: {
        arity: 3, flags: 'noscript loading stale', acl: 'connection', group: 'connection', since: '2.6.9', complexity: 'O(1)',
        summary: 'Names this connection.',
        args: 'connection-name',
      },
      getname: {
        arity: 2, flags: 'noscript loading stale', acl: 'connection', group: 'connection', since: '2.6.9', complexity: 'O(1)',
        summary: 'Returns the name of this connection.',
      },
      id: {
        arity: 2, flags: 'noscript loading stale', acl: 'connection', group: 'connection', since: '5.0.0', complexity: 'O(1)',
        summary: 'Returns the id of this connection.',
      },
      info: {
        arity: 2, flags: 'noscript loading stale', acl: 'connection', tips: 'nondeterministic_output', group: 'connection', since: '6.2.0', complexity: 'O(1)',
        summary: 'Describes this connection.',
      },
      list: {
        arity: -2, flags: 'admin noscript loading stale', acl: 'connection', tips: 'nondeterministic_output', group: 'connection', since: '2.4.0', complexity: 'O(N) clients',
        summary: 'Describes the open connections.',
        args: '[TYPE=normal_master_replica_pubsub (NORMAL | MASTER | REPLICA | PUBSUB)] [ID (client-id:int...)]',
      },
      kill: {
        arity: -3, flags: 'admin noscript loading stale', acl: 'connection', group: 'connection', since: '2.4.0', complexity: 'O(N) clients',
        summary: 'Closes the connections that match the filters.',
        args: '(filter: ip:port | (new-format: [ID client-id:int] | [TYPE=normal_master_slave_pubsub (NORMAL | MASTER | SLAVE | REPLICA | PUBSUB)] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no])...)',
      },
      pause: {
        arity: -3, flags: 'admin noscript loading stale', acl: 'connection', group: 'connection', since: '2.9.50', complexity: 'O(1)',
        summary: 'Holds the commands of clients (all of them, or the writes) for some milliseconds.',
        args: 'timeout:int [mode: WRITE | ALL]',
      },
      reply: {
        arity: 3, flags: 'noscript loading stale', acl: 'connection', group: 'connection', since: '3.2.0', complexity: 'O(1)',
        summary: 'Turns replies to this connection on or off, or skips the next one.',
        args: '(on_off_skip: ON | OFF | SKIP)',
      },
      'no-evict': {
        arity: 3, flags: 'admin noscript loading stale', acl: 'connection', group: 'connection', since: '7.0.0', complexity: 'O(1)',
        summary: 'Sets whether this client may be evicted.',
        args: '(enabled: ON | OFF)',
      },
      'no-touch': {
        arity: 3, flags: 'noscript loading stale', acl: 'connection', group: 'connection', since: '7.2.0', complexity: 'O(1)',
        summary: "Sets whether this client's commands change keys' access time.",
        args: '(enabled: ON | OFF)',
      },
      unpause: {
        arity: 2, flags: 'admin noscript loading stale', acl: 'connection', group: 'connection', since: '6.2.0', complexity: 'O(N)',
        summary: 'Lifts a CLIENT PAUSE.',
      },
      setinfo: {
        arity: 4, flags: 'noscript loading stale', acl: 'connection', tips: 'request_policy:all_nodes response_policy:all_succeeded', group: 'connection', since: '7.2.0', complexity: 'O(1)',
        summary: "Records the client library's name or version on the connection.",
        args: '(attr: LIB-NAME libname | LIB-VER libver)',
      },
      help: {
        arity: 2, flags: 'loading stale', acl: 'connection', group: 'connection', since: '5.0.0', complexity: 'O(1)',
        summary: 'Describes the CLIENT subcommands.',
      },
    },
  },
  command: {
    flags: 'loading stale', acl: 'connection', tips: 'nondeterministic_output_order', group: 'server', since: '2.8.13', complexity: 'O(N)',
    summary: 'Describes the commands the server runs.',
    subcommands: {
      count: {
        arity: 2, flags: 'loading stale', acl: 'connection', group: 'server', since: '2.8.13', complexity: 'O(1)',
        summary: 'Returns how many commands the server runs.',
      },
      list: {
        arity: -2, flags: 'loading stale', acl: 'connection', tips: 'nondeterministic_output_order', group: 'server', since: '7.0.0', complexity: 'O(N) commands',
        summary: 'Lists the command names, optionally filtered.',
        args: '[FILTERBY (MODULE module-name | ACLCAT category | PATTERN pattern:pat)]',
      },
      info: {
        arity: -2, flags: 'loading stale', acl: 'connection', tips: 'nondeterministic_output_order', group: 'server', since: '2.8.13', complexity: 'O(N) commands',
        summary: 'Describes commands: arity, flags, key positions, ACL categories.',
        args: '[command-name...]',
      },
      docs: {
        arity: -2, flags: 'loading stale', acl: 'connection', tips: 'nondeterministic_output_order', group: 'server', since: '7.0.0', complexity: 'O(N) commands',
        summary: 'Returns the documentation of commands.',
        args: '[command-name...]',
      },
      getkeys: {
        arity: -4, flags: 'loading stale', acl: 'connection', group: 'server', since: '2.8.13', complexity: 'O(N) arguments',
        summary: 'Finds the key arguments of a full command.',
      },
      getkeysandflags: {
        arity: -4, flags: 'loading stale', acl: 'connection', group: 'server', since: '7.0.0', complexity: 'O(N) arguments',
        summary: 'Finds the key arguments of a full command and how it uses each.',
      },
      help: {
        arity: 2, flags: 'loading stale', acl: 'connection', group: 'server', since: '5.0.0', complexity: 'O(1)',
        summary: 'Describes the COMMAND subcommands.',
      },
    },
  },
  config: {
    flags: '', group: 'server', since: '2.0.0', complexity: 'Per subcommand',
    summary: 'Commands about server settings.',
    subcommands: {
      get: {
        arity: -3, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0', complexity: 'O(N) settings',
        summary: 'Returns the settings whose names match the patterns.',
        args: '(parameter: parameter)...',
      },
      set: {
        arity: -4, flags: 'admin noscript loading stale', tips: 'request_policy:all_nodes response_policy:all_succeeded', group: 'server', since: '2.0.0', complexity: 'O(N) settings',
        summary: 'Changes server settings.',
        args: '(parameter_value: parameter value)...',
      },
      resetstat: {
        arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0', complexity: 'O(1)',
        summary: 'Resets the server\'s statistics.',
      },
      rewrite: {
        arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.8.0', complexity: 'O(1)',
        summary: 'Writes the settings to the configuration file.',
      },
      help: {
        arity: 2, flags: 'loading stale', group: 'server', since: '5.0.0', complexity: 'O(1)',
        summary: 'Describes the CONFIG subcommands.',
      },
    },
  },
  dbsize: {
    flags: 'readonly fast', acl: 'keyspace', tips: 'request_policy:all_shards response_policy:agg_sum', group: 'server', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns the number of keys.',
  },
  decr: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Subtracts one from the integer value of a key.',
    args: 'key',
  },
  decrby: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Subtracts a number from the integer value of a key.',
    args: 'key decrement:int',
  },
  del: {
    flags: 'write', acl: 'keyspace', keys: 'RM,delete 1 r-1,1,0', tips: 'request_policy:multi_shard response_policy:agg_sum', group: 'generic', since: '1.0.0', complexity: 'O(N) keys, O(M) elements of each collection',
    summary: 'Deletes keys.',
    args: 'key...',
  },
  discard: {
    flags: 'noscript loading stale fast allow_busy', acl: 'transaction', group: 'transactions', since: '2.0.0', complexity: 'O(N)',
    summary: 'Drops the queued commands of a transaction.',
  },
  echo: {
    flags: 'loading stale fast', acl: 'connection', group: 'connection', since: '1.0.0', complexity: 'O(1)',
    summary: 'Replies with its argument.',
    args: 'message',
  },
  exec: {
    flags: 'noscript loading stale skip_slowlog', acl: 'transaction', group: 'transactions', since: '1.2.0', complexity: 'The sum of the queued commands',
    summary: 'Runs the queued commands of a transaction.',
  },
  exists: {
    flags: 'readonly fast', acl: 'keyspace', keys: 'RO 1 r-1,1,0', tips: 'request_policy:multi_shard response_policy:agg_sum', group: 'generic', since: '1.0.0', complexity: 'O(N)',
    summary: 'Counts how many of the keys exist.',
    args: 'key...',
  },
  expire: {
    flags: 'write fast', acl: 'keyspace', keys: 'RW,update 1', group: 'generic', since: '1.0.0', complexity: 'O(1)',
    summary: 'Sets a key\'s time to live in seconds.',
    args: 'key seconds:int [condition: NX | XX | GT | LT]',
  },
  expireat: {
    flags: 'write fast', acl: 'keyspace', keys: 'RW,update 1', group: 'generic', since: '1.2.0', complexity: 'O(1)',
    summary: 'Sets the Unix time, in seconds, at which a key expires.',
    args: 'key unix-time-seconds:time [condition: NX | XX | GT | LT]',
  },
  expiretime: {
    flags: 'readonly fast', acl: 'keyspace', keys: 'RO,access 1', group: 'generic', since: '7.0.0', complexity: 'O(1)',
    summary: 'Returns the Unix time, in seconds, at which a key expires.',
    args: 'key',
  },
  failover: {
    flags: 'admin noscript stale', group: 'server', since: '6.2.0', complexity: 'O(1)',
    summary: 'Hands the master role to a replica once it has every write.',
    args: '[TO=target ( host port:int [FORCE] )] [ABORT] [TIMEOUT milliseconds:int]',
  },
  flushall: {
    flags: 'write', acl: 'keyspace dangerous', tips: 'request_policy:all_shards response_policy:all_succeeded', group: 'server', since: '1.0.0', complexity: 'O(N)',
    summary: 'Deletes every key of every database.',
    args: '[async: ASYNC | SYNC]',
  },
  flushdb: {
    flags: 'write', acl: 'keyspace dangerous', tips: 'request_policy:all_shards response_policy:all_succeeded', group: 'server', since: '1.0.0', complexity: 'O(N)',
    summary: 'Deletes every key of the current database.',
    args: '[async: ASYNC | SYNC]',
  },
  get: {
    flags: 'readonly fast', acl: 'string', keys: 'RO,access 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns the string value of a key.',
    args: 'key',
  },
  getdel: {
    flags: 'write fast', acl: 'string', keys: 'RW,access,delete 1', group: 'string', since: '6.2.0', complexity: 'O(1)',
    summary: 'Returns the string value of a key and deletes the key.',
    args: 'key',
  },
  getex: {
    flags: 'write fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '6.2.0', complexity: 'O(1)',
    summary: 'Returns the string value of a key and changes its expiry.',
    args: 'key [expiration: EX seconds:int | PX milliseconds:int | EXAT unix-time-seconds:time | PXAT unix-time-milliseconds:time | PERSIST]',
  },
  getrange: {
    flags: 'readonly', acl: 'string', keys: 'RO,access 1', group: 'string', since: '2.4.0', complexity: 'O(N)',
    summary: 'Returns part of the string value of a key.',
    args: 'key start:int end:int',
  },
  getset: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Sets the string value of a key and returns the previous value.',
    args: 'key value',
    deprecated: ['6.2.0', '`SET` with `GET`'],
  },
  hdel: {
    flags: 'write fast', acl: 'hash', keys: 'RW,delete 1', group: 'hash', since: '2.0.0', complexity: 'O(N)',
    summary: 'Removes fields from a hash.',
    args: 'key field...',
  },
  hello: {
    flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '6.0.0', complexity: 'O(1)',
    summary: 'Negotiates the protocol version, optionally authenticating and naming the connection.',
    args: '[arguments: protover:int [AUTH=username_password (username password)] [SETNAME clientname]]',
  },
  hexists: {
    flags: 'readonly fast', acl: 'hash', keys: 'RO 1', group: 'hash', since: '2.0.0', complexity: 'O(1)',
    summary: 'Tells whether a hash has a field.',
    args: 'key field',
  },
  hget: {
    flags: 'readonly fast', acl: 'hash', keys: 'RO,access 1', group: 'hash', since: '2.0.0', complexity: 'O(1)',
    summary: 'Returns the value of a field of a hash.',
    args: 'key field',
  },
  hgetall: {
    flags: 'readonly', acl: 'hash', keys: 'RO,access 1', tips: 'nondeterministic_output_order', group: 'hash', since: '2.0.0', complexity: 'O(N)',
    summary: 'Returns every field and value of a hash.',
    args: 'key',
  },
  hincrby: {
    flags: 'write denyoom fast', acl: 'hash', keys: 'RW,access,update 1', group: 'hash', since: '2.0.0', complexity: 'O(1)',
    summary: 'Adds an integer to the value of a field of a hash.',
    args: 'key field increment:int',
  },
  hincrbyfloat: {
    flags: 'write denyoom fast', acl: 'hash', keys: 'RW,access,update 1', group: 'hash', since: '2.6.0', complexity: 'O(1)',
    summary: 'Adds a floating-point number to the value of a field of a hash.',
    args: 'key field increment:dbl',
  },
  hkeys: {
    flags: 'readonly', acl: 'hash', keys: 'RO,access 1', tips: 'nondeterministic_output_order', group: 'hash', since: '2.0.0', complexity: 'O(N)',
    summary: 'Returns the field names of a hash.',
    args: 'key',
  },
  hlen: {
    flags: 'readonly fast', acl: 'hash', keys: 'RO 1', group: 'hash', since: '2.0.0', complexity: 'O(1)',
    summary: 'Returns the number of fields of a hash.',
    args: 'key',
  },
  hmget: {
    flags: 'readonly fast', acl: 'hash', keys: 'RO,access 1', group: 'hash', since: '2.0.0', complexity: 'O(N)',
    summary: 'Returns the values of several fields of a hash.',
    args: 'key field...',
  },
  hmset: {
    flags: 'write denyoom fast', acl: 'hash', keys: 'RW,update 1', group: 'hash', since: '2.0.0', complexity: 'O(N)',
    summary: 'Sets several fields of a hash.',
    args: 'key (field_value: field value)...',
    deprecated: ['4.0.0', '`HSET` with several fields'],
  },
  hrandfield: {
    flags: 'readonly', acl: 'hash', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'hash', since: '6.2.0', complexity: 'O(N)',
    summary: 'Returns random fields of a hash.',
    args: 'key [options: count:int [WITHVALUES]]',
  },
  hscan: {
    flags: 'readonly', acl: 'hash', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'hash', since: '2.8.0', complexity: 'O(1) a call, O(N) a full iteration',
    summary: 'Iterates over the fields and values of a hash.',
    args: 'key cursor:int [MATCH pattern:pat] [COUNT count:int]',
  },
  hset: {
    flags: 'write denyoom fast', acl: 'hash', keys: 'RW,update 1', group: 'hash', since: '2.0.0', complexity: 'O(1) a field',
    summary: 'Sets fields of a hash.',
    args: 'key (field_value: field value)...',
  },
  hsetnx: {
    flags: 'write denyoom fast', acl: 'hash', keys: 'RW,insert 1', group: 'hash', since: '2.0.0', complexity: 'O(1)',
    summary: 'Sets a field of a hash unless it exists.',
    args: 'key field value',
  },
  hstrlen: {
    flags: 'readonly fast', acl: 'hash', keys: 'RO 1', group: 'hash', since: '3.2.0', complexity: 'O(1)',
    summary: 'Returns the length of the value of a field of a hash.',
    args: 'key field',
  },
  hvals: {
    flags: 'readonly', acl: 'hash', keys: 'RO,access 1', tips: 'nondeterministic_output_order', group: 'hash', since: '2.0.0', complexity: 'O(N)',
    summary: 'Returns the values of a hash.',
    args: 'key',
  },
  incr: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Adds one to the integer value of a key.',
    args: 'key',
  },
  incrby: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Adds an integer to the integer value of a key.',
    args: 'key increment:int',
  },
  incrbyfloat: {
    flags: 'write denyoom fast', acl: 'string', keys: 'RW,access,update 1', group: 'string', since: '2.6.0', complexity: 'O(1)',
    summary: 'Adds a floating-point number to the numeric value of a key.',
    args: 'key increment:dbl',
  },
  info: {
    flags: 'loading stale', acl: 'dangerous', tips: 'nondeterministic_output request_policy:all_shards response_policy:special', group: 'server', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns server information and statistics.',
    args: '[section...]',
  },
  keys: {
    flags: 'readonly', acl: 'keyspace dangerous', tips: 'request_policy:all_shards nondeterministic_output_order', group: 'generic', since: '1.0.0', complexity: 'O(N)',
    summary: 'Returns the keys that match a pattern.',
    args: 'pattern:pat',
  },
  lastsave: {
    flags: 'loading stale fast', acl: 'admin dangerous', tips: 'nondeterministic_output', group: 'server', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns the Unix time of the last successful save.',
  },
  lindex: {
    flags: 'readonly', acl: 'list', keys: 'RO,access 1', group: 'list', since: '1.0.0', complexity: 'O(N), O(1) at either end',
    summary: 'Returns the element of a list at an index.',
    args: 'key index:int',
  },
  linsert: {
    flags: 'write denyoom', acl: 'list', keys: 'RW,insert 1', group: 'list', since: '2.2.0', complexity: 'O(N)',
    summary: 'Inserts an element before or after another one in a list.',
    args: 'key (where: BEFORE | AFTER) pivot element',
  },
  llen: {
    flags: 'readonly fast', acl: 'list', keys: 'RO 1', group: 'list', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns the length of a list.',
    args: 'key',
  },
  lmove: {
    flags: 'write denyoom', acl: 'list', keys: 'RW,access,delete 1; RW,insert 2', group: 'list', since: '6.2.0', complexity: 'O(1)',
    summary: 'Pops an element from one end of a list and pushes it to an end of another.',
    args: 'source:key destination:key (wherefrom: LEFT | RIGHT) (whereto: LEFT | RIGHT)',
  },
  lmpop: {
    flags: 'write', acl: 'list', keys: 'RW,access,delete 1 n0,1,1', group: 'list', since: '7.0.0', complexity: 'O(N+M)',
    summary: 'Pops elements from the first non-empty list of several.',
    args: 'numkeys:int key... (where: LEFT | RIGHT) [COUNT count:int]',
  },
  lpop: {
    flags: 'write fast', acl: 'list', keys: 'RW,access,delete 1', group: 'list', since: '1.0.0', complexity: 'O(N)',
    summary: 'Removes and returns the first elements of a list.',
    args: 'key [count:int]',
  },
  lpos: {
    flags: 'readonly', acl: 'list', keys: 'RO,access 1', group: 'list', since: '6.0.6', complexity: 'O(N)',
    summary: 'Returns the positions of an element in a list.',
    args: 'key element [RANK rank:int] [COUNT num-matches:int] [MAXLEN len:int]',
  },
  lpush: {
    flags: 'write denyoom fast', acl: 'list', keys: 'RW,insert 1', group: 'list', since: '1.0.0', complexity: 'O(1) an element',
    summary: 'Prepends elements to a list.',
    args: 'key element...',
  },
  lpushx: {
    flags: 'write denyoom fast', acl: 'list', keys: 'RW,insert 1', group: 'list', since: '2.2.0', complexity: 'O(1) an element',
    summary: 'Prepends elements to a list that exists.',
    args: 'key element...',
  },
  lrange: {
    flags: 'readonly', acl: 'list', keys: 'RO,access 1', group: 'list', since: '1.0.0', complexity: 'O(S+N)',
    summary: 'Returns a range of elements of a list.',
    args: 'key start:int stop:int',
  },
  lrem: {
    flags: 'write', acl: 'list', keys: 'RW,delete 1', group: 'list', since: '1.0.0', complexity: 'O(N+M)',
    summary: 'Removes occurrences of an element from a list.',
    args: 'key count:int element',
  },
  lset: {
    flags: 'write denyoom', acl: 'list', keys: 'RW,update 1', group: 'list', since: '1.0.0', complexity: 'O(N), O(1) at either end',
    summary: 'Replaces the element of a list at an index.',
    args: 'key index:int element',
  },
  ltrim: {
    flags: 'write', acl: 'list', keys: 'RW,delete 1', group: 'list', since: '1.0.0', complexity: 'O(N)',
    summary: 'Keeps only a range of elements of a list.',
    args: 'key start:int stop:int',
  },
  mget: {
    flags: 'readonly fast', acl: 'string', keys: 'RO,access 1 r-1,1,0', tips: 'request_policy:multi_shard', group: 'string', since: '1.0.0', complexity: 'O(N)',
    summary: 'Returns the string values of several keys.',
    args: 'key...',
  },
  mset: {
    flags: 'write denyoom', acl: 'string', keys: 'OW,update 1 r-1,2,0', tips: 'request_policy:multi_shard response_policy:all_succeeded', group: 'string', since: '1.0.1', complexity: 'O(N)',
    summary: 'Sets the string values of several keys.',
    args: '(key_value: key value)...',
  },
  msetnx: {
    flags: 'write denyoom', acl: 'string', keys: 'OW,insert 1 r-1,2,0', tips: 'request_policy:multi_shard response_policy:agg_min', group: 'string', since: '1.0.1', complexity: 'O(N)',
    summary: 'Sets the string values of several keys unless any of them exists.',
    args: '(key_value: key value)...',
  },
  multi: {
    flags: 'noscript loading stale fast allow_busy', acl: 'transaction', group: 'transactions', since: '1.2.0', complexity: 'O(1)',
    summary: 'Starts a transaction.',
  },
  persist: {
    flags: 'write fast', acl: 'keyspace', keys: 'RW,update 1', group: 'generic', since: '2.2.0', complexity: 'O(1)',
    summary: 'Removes the expiry of a key.',
    args: 'key',
  },
  pexpire: {
    flags: 'write fast', acl: 'keyspace', keys: 'RW,update 1', group: 'generic', since: '2.6.0', complexity: 'O(1)',
    summary: 'Sets a key\'s time to live in milliseconds.',
    args: 'key milliseconds:int [condition: NX | XX | GT | LT]',
  },
  pexpireat: {
    flags: 'write fast', acl: 'keyspace', keys: 'RW,update 1', group: 'generic', since: '2.6.0', complexity: 'O(1)',
    summary: 'Sets the Unix time, in milliseconds, at which a key expires.',
    args: 'key unix-time-milliseconds:time [condition: NX | XX | GT | LT]',
  },
  pexpiretime: {
    flags: 'readonly fast', acl: 'keyspace', keys: 'RO,access 1', group: 'generic', since: '7.0.0', complexity: 'O(1)',
    summary: 'Returns the Unix time, in milliseconds, at which a key expires.',
    args: 'key',
  },
  ping: {
    flags: 'fast', acl: 'connection', tips: 'request_policy:all_shards response_policy:all_succeeded', group: 'connection', since: '1.0.0', complexity: 'O(1)',
    summary: 'Checks the connection; replies PONG or the given message.',
    args: '[message]',
  },
  psetex: {
    flags: 'write denyoom', acl: 'string', keys: 'OW,update 1', group: 'string', since: '2.6.0', complexity: 'O(1)',
    summary: 'Sets the string value of a key with a time to live in milliseconds.',
    args: 'key milliseconds:int value',
  },
  psync: {
    flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '2.8.0', complexity: 'O(1)',
    summary: 'Internal command used for replication.',
    args: 'replicationid offset:int',
  },
  pttl: {
    flags: 'readonly fast', acl: 'keyspace', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'generic', since: '2.6.0', complexity: 'O(1)',
    summary: 'Returns a key\'s time to live in milliseconds.',
    args: 'key',
  },
  quit: {
    flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '1.0.0', complexity: 'O(1)',
    summary: 'Closes the connection.',
  },
  randomkey: {
    flags: 'readonly', acl: 'keyspace', tips: 'request_policy:all_shards nondeterministic_output', group: 'generic', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns a random key name.',
  },
  rename: {
    flags: 'write', acl: 'keyspace', keys: 'RW,access,delete 1; OW,update 2', group: 'generic', since: '1.0.0', complexity: 'O(1)',
    summary: 'Renames a key, replacing any key of the new name.',
    args: 'key newkey:key',
  },
  renamenx: {
    flags: 'write fast', acl: 'keyspace', keys: 'RW,access,delete 1; OW,insert 2', group: 'generic', since: '1.0.0', complexity: 'O(1)',
    summary: 'Renames a key unless the new name exists.',
    args: 'key newkey:key',
  },
  replconf: {
    flags: 'admin noscript loading stale allow_busy', group: 'server', since: '3.0.0', complexity: 'O(1)',
    summary: 'An internal command for configuring the replication stream.',
    syscmd: true,
  },
  replicaof: {
    flags: 'admin noscript stale no_async_loading', group: 'server', since: '5.0.0', complexity: 'O(1)',
    summary: 'Follows a master, or becomes a master again (NO ONE).',
    args: '(args: (host-port: host port:int) | (no-one: NO ONE))',
  },
  reset: {
    flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '6.2.0', complexity: 'O(1)',
    summary: 'Resets the connection to its state at connect time.',
  },
  role: {
    flags: 'noscript loading stale fast', acl: 'admin dangerous', group: 'server', since: '2.8.12', complexity: 'O(1)',
    summary: 'Returns the replication role of this server.',
  },
  rpop: {
    flags: 'write fast', acl: 'list', keys: 'RW,access,delete 1', group: 'list', since: '1.0.0', complexity: 'O(N)',
    summary: 'Removes and returns the last elements of a list.',
    args: 'key [count:int]',
  },
  rpoplpush: {
    flags: 'write denyoom', acl: 'list', keys: 'RW,access,delete 1; RW,insert 2', group: 'list', since: '1.2.0', complexity: 'O(1)',
    summary: 'Pops the last element of a list and prepends it to another list.',
    args: 'source:key destination:key',
    deprecated: ['6.2.0', '`LMOVE` with `RIGHT` `LEFT`'],
  },
  rpush: {
    flags: 'write denyoom fast', acl: 'list', keys: 'RW,insert 1', group: 'list', since: '1.0.0', complexity: 'O(1) an element',
    summary: 'Appends elements to a list.',
    args: 'key element...',
  },
  rpushx: {
    flags: 'write denyoom fast', acl: 'list', keys: 'RW,insert 1', group: 'list', since: '2.2.0', complexity: 'O(1) an element',
    summary: 'Appends elements to a list that exists.',
    args: 'key element...',
  },
  sadd: {
    flags: 'write denyoom fast', acl: 'set', keys: 'RW,insert 1', group: 'set', since: '1.0.0', complexity: 'O(1) a member',
    summary: 'Adds members to a set.',
    args: 'key member...',
  },
  save: {
    flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '1.0.0', complexity: 'O(N)',
    summary: 'Saves the snapshot file now.',
  },
  scan: {
    flags: 'readonly', acl: 'keyspace', tips: 'nondeterministic_output request_policy:special', group: 'generic', since: '2.8.0', complexity: 'O(1) a call, O(N) a full iteration',
    summary: 'Iterates over the key names.',
    args: 'cursor:int [MATCH pattern:pat] [COUNT count:int] [TYPE type]',
  },
  scard: {
    flags: 'readonly fast', acl: 'set', keys: 'RO 1', group: 'set', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns the number of members of a set.',
    args: 'key',
  },
  sdiff: {
    flags: 'readonly', acl: 'set', keys: 'RO,access 1 r-1,1,0', tips: 'nondeterministic_output_order', group: 'set', since: '1.0.0', complexity: 'O(N)',
    summary: 'Returns the members of a set that are in none of the other sets.',
    args: 'key...',
  },
  sdiffstore: {
    flags: 'write denyoom', acl: 'set', keys: 'OW,update 1; RO,access 2 r-1,1,0', group: 'set', since: '1.0.0', complexity: 'O(N)',
    summary: 'Stores the difference of sets in a key.',
    args: 'destination:key key...',
  },
  select: {
    flags: 'loading stale fast', acl: 'connection', group: 'connection', since: '1.0.0', complexity: 'O(1)',
    summary: 'Selects the database of the connection.',
    args: 'index:int',
  },
  set: {
    flags: 'write denyoom', acl: 'string', keys: 'RW,access,update,variable_flags 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Sets the string value of a key, with conditions, an expiry or the old value returned.',
    args: 'key value [condition: NX | XX] [GET] [expiration: EX seconds:int | PX milliseconds:int | EXAT unix-time-seconds:time | PXAT unix-time-milliseconds:time | KEEPTTL]',
  },
  setex: {
    flags: 'write denyoom', acl: 'string', keys: 'OW,update 1', group: 'string', since: '2.0.0', complexity: 'O(1)',
    summary: 'Sets the string value of a key with a time to live in seconds.',
    args: 'key seconds:int value',
  },
  setnx: {
    flags: 'write denyoom fast', acl: 'string', keys: 'OW,insert 1', group: 'string', since: '1.0.0', complexity: 'O(1)',
    summary: 'Sets the string value of a key unless it exists.',
    args: 'key value',
  },
  setrange: {
    flags: 'write denyoom', acl: 'string', keys: 'RW,update 1', group: 'string', since: '2.2.0', complexity: 'O(1)',
    summary: 'Overwrites part of the string value of a key from an offset.',
    args: 'key offset:int value',
  },
  sinter: {
    flags: 'readonly', acl: 'set', keys: 'RO,access 1 r-1,1,0', tips: 'nondeterministic_output_order', group: 'set', since: '1.0.0', complexity: 'O(N*M)',
    summary: 'Returns the members common to all the sets.',
    args: 'key...',
  },
  sinterstore: {
    flags: 'write denyoom', acl: 'set', keys: 'RW,update 1; RO,access 2 r-1,1,0', group: 'set', since: '1.0.0', complexity: 'O(N*M)',
    summary: 'Stores the intersection of sets in a key.',
    args: 'destination:key key...',
  },
  sismember: {
    flags: 'readonly fast', acl: 'set', keys: 'RO 1', group: 'set', since: '1.0.0', complexity: 'O(1)',
    summary: 'Tells whether a value is a member of a set.',
    args: 'key member',
  },
  slaveof: {
    flags: 'admin noscript stale no_async_loading', group: 'server', since: '1.0.0', complexity: 'O(1)',
    summary: 'Follows a master, or becomes a master again (NO ONE).',
    args: '(args: (host-port: host port:int) | (no-one: NO ONE))',
    deprecated: ['5.0.0', '`REPLICAOF`'],
  },
  smembers: {
    flags: 'readonly', acl: 'set', keys: 'RO,access 1', tips: 'nondeterministic_output_order', group: 'set', since: '1.0.0', complexity: 'O(N)',
    summary: 'Returns the members of a set.',
    args: 'key',
  },
  smismember: {
    flags: 'readonly fast', acl: 'set', keys: 'RO,access 1', group: 'set', since: '6.2.0', complexity: 'O(N)',
    summary: 'Tells whether each of several values is a member of a set.',
    args: 'key member...',
  },
  smove: {
    flags: 'write fast', acl: 'set', keys: 'RW,access,delete 1; RW,insert 2', group: 'set', since: '1.0.0', complexity: 'O(1)',
    summary: 'Moves a member from one set to another.',
    args: 'source:key destination:key member',
  },
  spop: {
    flags: 'write fast', acl: 'set', keys: 'RW,access,delete 1', tips: 'nondeterministic_output', group: 'set', since: '1.0.0', complexity: 'O(1), O(N) with a count',
    summary: 'Removes and returns random members of a set.',
    args: 'key [count:int]',
  },
  srandmember: {
    flags: 'readonly', acl: 'set', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'set', since: '1.0.0', complexity: 'O(1), O(N) with a count',
    summary: 'Returns random members of a set.',
    args: 'key [count:int]',
  },
  srem: {
    flags: 'write fast', acl: 'set', keys: 'RW,delete 1', group: 'set', since: '1.0.0', complexity: 'O(N)',
    summary: 'Removes members from a set.',
    args: 'key member...',
  },
  sscan: {
    flags: 'readonly', acl: 'set', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'set', since: '2.8.0', complexity: 'O(1) a call, O(N) a full iteration',
    summary: 'Iterates over the members of a set.',
    args: 'key cursor:int [MATCH pattern:pat] [COUNT count:int]',
  },
  strlen: {
    flags: 'readonly fast', acl: 'string', keys: 'RO 1', group: 'string', since: '2.2.0', complexity: 'O(1)',
    summary: 'Returns the length of the string value of a key.',
    args: 'key',
  },
  substr: {
    flags: 'readonly', acl: 'string', keys: 'RO,access 1', group: 'string', since: '1.0.0', complexity: 'O(N)',
    summary: 'Returns part of the string value of a key (old form of GETRANGE).',
    args: 'key start:int end:int',
    deprecated: ['2.0.0', '`GETRANGE`'],
  },
  sunion: {
    flags: 'readonly', acl: 'set', keys: 'RO,access 1 r-1,1,0', tips: 'nondeterministic_output_order', group: 'set', since: '1.0.0', complexity: 'O(N)',
    summary: 'Returns the members of any of the sets.',
    args: 'key...',
  },
  sunionstore: {
    flags: 'write denyoom', acl: 'set', keys: 'OW,update 1; RO,access 2 r-1,1,0', group: 'set', since: '1.0.0', complexity: 'O(N)',
    summary: 'Stores the union of sets in a key.',
    args: 'destination:key key...',
  },
  sync: {
    flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '1.0.0', complexity: 'O(1)',
    summary: 'Internal command used for replication.',
  },
  time: {
    flags: 'loading stale fast', tips: 'nondeterministic_output', group: 'server', since: '2.6.0', complexity: 'O(1)',
    summary: 'Returns the server\'s clock: Unix seconds and microseconds.',
  },
  ttl: {
    flags: 'readonly fast', acl: 'keyspace', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'generic', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns a key\'s time to live in seconds.',
    args: 'key',
  },
  type: {
    flags: 'readonly fast', acl: 'keyspace', keys: 'RO 1', group: 'generic', since: '1.0.0', complexity: 'O(1)',
    summary: 'Returns the type of the value of a key.',
    args: 'key',
  },
  unlink: {
    flags: 'write fast', acl: 'keyspace', keys: 'RM,delete 1 r-1,1,0', tips: 'request_policy:multi_shard response_policy:agg_sum', group: 'generic', since: '4.0.0', complexity: 'O(1) a key, then O(N) in the background',
    summary: 'Deletes keys, reclaiming their memory in the background.',
    args: 'key...',
  },
  unwatch: {
    flags: 'noscript loading stale fast allow_busy', acl: 'transaction', group: 'transactions', since: '2.2.0', complexity: 'O(1)',
    summary: 'Forgets the keys the connection watches.',
  },
  wait: {
    flags: 'noscript', acl: 'connection', tips: 'request_policy:all_shards response_policy:agg_min', group: 'generic', since: '3.0.0', complexity: 'O(1)',
    summary: 'Waits until replicas acknowledged every write of this connection so far.',
    args: 'numreplicas:int timeout:int',
  },
  watch: {
    flags: 'noscript loading stale fast allow_busy', acl: 'transaction', keys: 'RO 1 r-1,1,0', group: 'transactions', since: '2.2.0', complexity: 'O(1)',
    summary: 'Watches keys so that a transaction runs only if they did not change.',
    args: 'key...',
  },
  zadd: {
    flags: 'write denyoom fast', acl: 'sortedset', keys: 'RW,update 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(log(N)) a member',
    summary: 'Adds members with scores to a sorted set, or changes their scores.',
    args: 'key [condition: NX | XX] [comparison: GT | LT] [CH=change] [INCR=increment] (score_member: score:dbl member)...',
  },
  zcard: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(1)',
    summary: 'Returns the number of members of a sorted set.',
    args: 'key',
  },
  zcount: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.0.0', complexity: 'O(log(N))',
    summary: 'Counts the members of a sorted set with scores in a range.',
    args: 'key min:dbl max:dbl',
  },
  zincrby: {
    flags: 'write denyoom fast', acl: 'sortedset', keys: 'RW,access,update 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(log(N))',
    summary: 'Adds to the score of a member of a sorted set.',
    args: 'key increment:int member',
  },
  zlexcount: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.8.9', complexity: 'O(log(N))',
    summary: 'Counts the members of a sorted set in a lexicographical range.',
    args: 'key min max',
  },
  zmscore: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '6.2.0', complexity: 'O(N)',
    summary: 'Returns the scores of several members of a sorted set.',
    args: 'key member...',
  },
  zpopmax: {
    flags: 'write fast', acl: 'sortedset', keys: 'RW,access,delete 1', group: 'sorted-set', since: '5.0.0', complexity: 'O(log(N)*M)',
    summary: 'Removes and returns the members of a sorted set with the highest scores.',
    args: 'key [count:int]',
  },
  zpopmin: {
    flags: 'write fast', acl: 'sortedset', keys: 'RW,access,delete 1', group: 'sorted-set', since: '5.0.0', complexity: 'O(log(N)*M)',
    summary: 'Removes and returns the members of a sorted set with the lowest scores.',
    args: 'key [count:int]',
  },
  zrandmember: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'sorted-set', since: '6.2.0', complexity: 'O(N)',
    summary: 'Returns random members of a sorted set.',
    args: 'key [options: count:int [WITHSCORES]]',
  },
  zrange: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(log(N)+M)',
    summary: 'Returns the members of a sorted set in a range of ranks, scores or values.',
    args: 'key start stop [sortby: BYSCORE | BYLEX] [REV] [LIMIT=offset_count (offset:int count:int)] [WITHSCORES]',
  },
  zrangebylex: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.8.9', complexity: 'O(log(N)+M)',
    summary: 'Returns the members of a sorted set in a lexicographical range.',
    args: 'key min max [LIMIT=offset_count (offset:int count:int)]',
    deprecated: ['6.2.0', '`ZRANGE` with `BYLEX`'],
  },
  zrangebyscore: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '1.0.5', complexity: 'O(log(N)+M)',
    summary: 'Returns the members of a sorted set with scores in a range.',
    args: 'key min:dbl max:dbl [WITHSCORES] [LIMIT=offset_count (offset:int count:int)]',
    deprecated: ['6.2.0', '`ZRANGE` with `BYSCORE`'],
  },
  zrangestore: {
    flags: 'write denyoom', acl: 'sortedset', keys: 'OW,update 1; RO,access 2', group: 'sorted-set', since: '6.2.0', complexity: 'O(log(N)+M)',
    summary: 'Stores a range of members of a sorted set in another key.',
    args: 'dst:key src:key min max [sortby: BYSCORE | BYLEX] [REV] [LIMIT=offset_count (offset:int count:int)]',
  },
  zrank: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.0.0', complexity: 'O(log(N))',
    summary: 'Returns the rank of a member of a sorted set, lowest score first.',
    args: 'key member',
  },
  zrem: {
    flags: 'write fast', acl: 'sortedset', keys: 'RW,delete 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(M*log(N))',
    summary: 'Removes members from a sorted set.',
    args: 'key member...',
  },
  zremrangebylex: {
    flags: 'write', acl: 'sortedset', keys: 'RW,delete 1', group: 'sorted-set', since: '2.8.9', complexity: 'O(log(N)+M)',
    summary: 'Removes the members of a sorted set in a lexicographical range.',
    args: 'key min max',
  },
  zremrangebyrank: {
    flags: 'write', acl: 'sortedset', keys: 'RW,delete 1', group: 'sorted-set', since: '2.0.0', complexity: 'O(log(N)+M)',
    summary: 'Removes the members of a sorted set in a range of ranks.',
    args: 'key start:int stop:int',
  },
  zremrangebyscore: {
    flags: 'write', acl: 'sortedset', keys: 'RW,delete 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(log(N)+M)',
    summary: 'Removes the members of a sorted set with scores in a range.',
    args: 'key min:dbl max:dbl',
  },
  zrevrange: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(log(N)+M)',
    summary: 'Returns the members of a sorted set in a range of ranks, highest score first.',
    args: 'key start:int stop:int [WITHSCORES]',
    deprecated: ['6.2.0', '`ZRANGE` with `REV`'],
  },
  zrevrangebylex: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.8.9', complexity: 'O(log(N)+M)',
    summary: 'Returns the members of a sorted set in a lexicographical range, in reverse order.',
    args: 'key max min [LIMIT=offset_count (offset:int count:int)]',
    deprecated: ['6.2.0', '`ZRANGE` with `REV` and `BYLEX`'],
  },
  zrevrangebyscore: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.2.0', complexity: 'O(log(N)+M)',
    summary: 'Returns the members of a sorted set with scores in a range, highest first.',
    args: 'key max:dbl min:dbl [WITHSCORES] [LIMIT=offset_count (offset:int count:int)]',
    deprecated: ['6.2.0', '`ZRANGE` with `REV` and `BYSCORE`'],
  },
  zrevrank: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '2.0.0', complexity: 'O(log(N))',
    summary: 'Returns the rank of a member of a sorted set, highest score first.',
    args: 'key member',
  },
  zscan: {
    flags: 'readonly', acl: 'sortedset', keys: 'RO,access 1', tips: 'nondeterministic_output', group: 'sorted-set', since: '2.8.0', complexity: 'O(1) a call, O(N) a full iteration',
    summary: 'Iterates over the members and scores of a sorted set.',
    args: 'key cursor:int [MATCH pattern:pat] [COUNT count:int]',
  },
  zscore: {
    flags: 'readonly fast', acl: 'sortedset', keys: 'RO,access 1', group: 'sorted-set', since: '1.2.0', complexity: 'O(1)',
    summary: 'Returns the score of a member of a sorted set.',
    args: 'key member',
  },
};
