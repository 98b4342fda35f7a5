// COMMAND: what the server can run, for clients and tools that ask (redis-cli, cluster
// clients). The keyspace's commands come from the native table, the rest from the server's.
import type { Server } from '../server';
import { runSubcommand, type CommandContext, type ServerCommand, type Subcommands } from './types';

interface Described {
  name: string;
  arity: number;
  flags: string[];
}

function allCommands(server: Server): Described[] {
  const out: Described[] = [...server.commands.values()].map((c) => ({ name: c.name, arity: c.arity, flags: c.flags }));
  for (const [name, arity] of server.keyspace.commands()) out.push({ name, arity, flags: [] });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function writeInfo(ctx: CommandContext, c: Described | undefined): void {
  const r = ctx.reply;
  if (!c) return void r.nullArray();
  r.array(10).bulk(c.name).integer(c.arity).set(c.flags.length);
  for (const f of c.flags) r.status(f);
  r.integer(0).integer(0).integer(0).set(0).set(0).array(0).array(0);
}

function info(ctx: CommandContext, names: string[]): void {
  const all = allCommands(ctx.server);
  const wanted = names.length ? names.map((n) => all.find((c) => c.name === n.toLowerCase())) : all;
  ctx.reply.array(wanted.length);
  for (const c of wanted) writeInfo(ctx, c);
}

const SUBCOMMANDS: Subcommands = {
  COUNT: [2, (ctx) => ctx.reply.integer(allCommands(ctx.server).length)],
  LIST: [-2, (ctx) => {
    const all = allCommands(ctx.server);
    ctx.reply.array(all.length);
    for (const c of all) ctx.reply.bulk(c.name);
  }],
  INFO: [-2, (ctx) => info(ctx, ctx.argv.slice(2).map((b) => b.toString()))],
};

export const commandCommand: ServerCommand = {
  name: 'command',
  arity: -1,
  flags: ['loading', 'stale'],
  run: (ctx) => (ctx.argv.length === 1 ? info(ctx, []) : runSubcommand(ctx, SUBCOMMANDS)),
};
