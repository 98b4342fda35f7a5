#!/usr/bin/env node
// The redis-active-active command.
import { Command } from 'commander';

import { runConvergenceDemo } from './demo/convergence';

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

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
