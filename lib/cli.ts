#!/usr/bin/env node
// The redis-active-active command.
import { Command } from 'commander';

import { runConvergenceDemo } from './demo/convergence';
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
  .action(start);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
