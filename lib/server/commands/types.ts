// What a server-side command is: Redis's arity convention, the few flags that change how
// the server treats it, and a handler that writes its reply.
import type { Client } from '../client';
import type { RespWriter } from '../resp-writer';
import type { Server } from '../server';

export interface CommandContext {
  server: Server;
  client: Client;
  /** The arguments, name first, as the client sent them. */
  argv: Buffer[];
  reply: RespWriter;
}

export interface ServerCommand {
  name: string;
  /** n: exactly n arguments counting the name; -n: at least n. */
  arity: number;
  /** Runs before authentication (AUTH, HELLO, QUIT, RESET). */
  noAuth?: boolean;
  /** Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH...). */
  runsInMulti?: boolean;
  /** COMMAND INFO flags. */
  flags: string[];
  run(ctx: CommandContext): void;
}

export const arg = (ctx: CommandContext, i: number): string => ctx.argv[i]!.toString();
export const argUpper = (ctx: CommandContext, i: number): string => ctx.argv[i]!.toString().toUpperCase();

export function wrongArgs(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

/** The error for a subcommand the server does not know, in Redis's words. */
export function unknownSubcommand(ctx: CommandContext): string {
  const name = arg(ctx, 0).toUpperCase();
  return `ERR unknown subcommand '${arg(ctx, 1).slice(0, 128)}'. Try ${name} HELP.`;
}

/** Redis's integer parsing for arguments: the whole string, no spaces, in int64. */
export function parseInteger(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** Subcommand name -> [arity counting the command and the subcommand, handler]. */
export type Subcommands = Record<string, [number, (ctx: CommandContext) => void]>;

export function runSubcommand(
  ctx: CommandContext,
  table: Subcommands,
): void {
  const sub = argUpper(ctx, 1);
  const entry = table[sub];
  if (!entry) return void ctx.reply.error(unknownSubcommand(ctx));
  const [arity, run] = entry;
  const n = ctx.argv.length;
  if ((arity > 0 && n !== arity) || (arity < 0 && n < -arity)) {
    return void ctx.reply.error(wrongArgs(`${arg(ctx, 0).toLowerCase()}|${sub.toLowerCase()}`));
  }
  run(ctx);
}

