#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node
// The redis-active-active command.
//
// The shebang asks glibc's malloc for transparent huge pages (Linux, glibc 2.35 and later;
// ignored elsewhere). A keyspace is millions of small allocations; on a virtual machine
// every first touch of a 4 KB page is a costly fault, and a load at start-up or a full
// sync touches gigabytes of them (docs/server.md, "Memory and huge pages"). `node dist/cli.js ...` runs
// without it.
import { Command } from 'commander';

import { runConvergenceDemo } from './demo/convergence';
import { importCommand, inspectCommand } from './rdb/cli';
import { start } from './server/start';

const program = new Command();
program
  .name('redis-active-active')
  .description('Active-Active, geo-distributed, Redis-compatible database');

program
  .command('demo')
  .description('three in-process instances write concurrently and converge')
  .action(() => {
    if (!runConvergenceDemo()) process.exitCode = 1;
  });

program
  .command('start')
  .description('run one instance as a Redis server')
  .option('--port <port>', 'TCP port (0: any free port)', '6379')
  .option('--bind <address>', 'address to listen on', '127.0.0.1')
  .option('--instance-id <id>', "this instance's id, 1..65535, unique in the database", '1')
  .option('--requirepass <password>', 'password of the default user')
  .option('--user <name:password>', 'an ACL-style user (repeatable)', (v: string, all: string[]) => [...all, v], [])
  .option('--maxclients <n>', 'maximum connected clients (10000)')
  .option('--timeout <seconds>', 'close clients idle this long (0: never)')
  .option('--proto-max-bulk-len <bytes>', 'largest accepted argument (512mb)')
  .option('--protected-mode <yes|no>', 'without a password, serve loopback clients only', 'yes')
  .option('--loglevel <level>', 'debug, verbose, notice, warning, nothing', 'notice')
  .option('--dir <path>', 'load the snapshot file from here at start, write it on SAVE and at shutdown')
  .option('--dbfilename <name>', 'the snapshot file name in --dir (dump.rdb)')
  .option('--replica-of <host:port>', 'follow this master: another instance shard, or a real Redis server to migrate from')
  .option('--masterauth <password>', 'password to give the master')
  .option('--masteruser <name>', 'user to give the master (with --masterauth)')
  .option('--repl-backlog-size <bytes>', 'replication backlog for partial resyncs (1mb)')
  .action(start);

const rdb = program.command('rdb').description('RDB files');
rdb
  .command('inspect <file>')
  .description('version, aux fields and key counts per database, type and encoding')
  .option('--dump', 'every key as one JSON object per line')
  .option('--json', 'the summary as JSON')
  .option('--no-checksum', 'do not verify the CRC64')
  .action(inspectCommand);

program
  .command('import <file>')
  .description('load a Redis RDB file into a running instance (or any Redis) as writes')
  .option('--host <host>', 'server address', '127.0.0.1')
  .option('--port <port>', 'server port', '6379')
  .option('--password <password>', 'AUTH password')
  .option('--user <name>', 'AUTH user (with --password)')
  .option('--db <n>', 'import only this database (default: all, into db 0)')
  .option('--no-progress', 'no progress bar')
  .option('--no-checksum', 'do not verify the CRC64')
  .action(importCommand);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
