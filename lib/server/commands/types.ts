// What a server-side command is: Redis's arity convention, the few flags that change how
// the server treats it, and a handler that writes its reply.
import { binding } from '../../native';
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
  /** Checked before the command runs or is queued, as Redis checks subcommands. */
  subcommands?: Subcommands;
  run(ctx: CommandContext): void;
}

export const arg = (ctx: CommandContext, i: number): string => ctx.argv[i]!.toString();
export const argUpper = (ctx: CommandContext, i: number): string => ctx.argv[i]!.toString().toUpperCase();

export function wrongArgs(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}


/** Redis's glob matching without case, as CONFIG GET and COMMAND LIST use it: the core's KEYS matcher. */
export function globMatchNoCase(pattern: string, text: string): boolean {
  return binding.globMatch(pattern.toLowerCase(), text.toLowerCase());
}

/** Redis's integer parsing for arguments: the whole string, no spaces, in int64. */
export function parseInteger(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** Subcommand name -> [arity counting the command and the subcommand, handler]. */
export type Subcommands = Record<string, [number, (ctx: CommandContext) => void]>;

/** Redis's error for a subcommand that does not exist or has the wrong arity, or null. */
export function subcommandError(argv: Buffer[], table: Subcommands): string | null {
  const sub = argv[1]!.toString().toUpperCase();
  const entry = table[sub];
  if (!entry) return `ERR unknown subcommand '${argv[1]!.toString().slice(0, 128)}'. Try ${argv[0]!.toString().toUpperCase()} HELP.`;
  const arity = entry[0];
  const n = argv.length;
  if ((arity > 0 && n !== arity) || (arity < 0 && n < -arity)) {
    return wrongArgs(`${argv[0]!.toString().toLowerCase()}|${sub.toLowerCase()}`);
  }
  return null;
}

export function runSubcommand(ctx: CommandContext, table: Subcommands): void {
  const error = subcommandError(ctx.argv, table);
  if (error) return void ctx.reply.error(error);
  table[argUpper(ctx, 1)]![1](ctx);
}
