// Connection commands: PING ECHO SELECT AUTH HELLO QUIT RESET.
import { REDIS_VERSION } from '../version';
import { arg, parseInteger, type CommandContext, type ServerCommand } from './types';

function ping(ctx: CommandContext): void {
  if (ctx.argv.length === 1) ctx.reply.status('PONG');
  else ctx.reply.bulk(ctx.argv[1]!);
}

function echo(ctx: CommandContext): void {
  ctx.reply.bulk(ctx.argv[1]!);
}

// One database, db 0: an Active-Active database has a single keyspace, as in the
// commercial product. Any other index is refused clearly.
function select(ctx: CommandContext): void {
  const index = parseInteger(arg(ctx, 1));
  if (index === null) ctx.reply.error('ERR value is not an integer or out of range');
  else if (index !== 0) ctx.reply.error('ERR DB index is out of range');
  else ctx.reply.ok();
}

/** Checks a user/password pair; on success the client is that user. */
function authenticate(ctx: CommandContext, user: string, password: string): boolean {
  if (!ctx.server.checkPassword(user, password)) {
    ctx.server.log.warn({ client: ctx.client.id, addr: ctx.client.addr, user }, 'authentication failed');
    return false;
  }
  ctx.client.user = user;
  ctx.client.authenticated = true;
  return true;
}

function auth(ctx: CommandContext): void {
  const n = ctx.argv.length;
  if (n > 3) return void ctx.reply.error('ERR syntax error');
  if (n === 2 && !ctx.server.authRequired()) {
    return void ctx.reply.error(
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    );
  }
  const [user, password] = n === 3 ? [arg(ctx, 1), arg(ctx, 2)] : ['default', arg(ctx, 1)];
  if (authenticate(ctx, user, password)) ctx.reply.ok();
  else ctx.reply.error('WRONGPASS invalid username-password pair or user is disabled.');
}

// HELLO [protover [AUTH user pass] [SETNAME name]]: switches RESP2/RESP3, optionally
// authenticating and naming the connection in the same round trip.
function hello(ctx: CommandContext): void {
  const { client, reply } = ctx;
  let protocol = client.protocol;
  if (ctx.argv.length > 1) {
    const v = parseInteger(arg(ctx, 1));
    if (v === null) return void reply.error('ERR Protocol version is not an integer or out of range');
    if (v !== 2 && v !== 3) return void reply.error('NOPROTO unsupported protocol version');
    protocol = v;
  }
  let credentials: [string, string] | null = null;
  for (let i = 2; i < ctx.argv.length; i++) {
    const option = arg(ctx, i);
    const left = ctx.argv.length - i - 1;
    if (option.toUpperCase() === 'AUTH' && left >= 2) {
      credentials = [arg(ctx, i + 1), arg(ctx, i + 2)];
      i += 2;
    } else if (option.toUpperCase() === 'SETNAME' && left >= 1) {
      // Named at once, before later options are checked, as Redis 7.0 does.
      const bad = validClientName(arg(ctx, i + 1));
      if (bad) return void reply.error(bad);
      client.name = arg(ctx, ++i);
    } else {
      return void reply.error(`ERR Syntax error in HELLO option '${option}'`);
    }
  }
  if (credentials && !authenticate(ctx, credentials[0], credentials[1])) {
    return void reply.error('WRONGPASS invalid username-password pair or user is disabled.');
  }
  if (!client.authenticated) {
    return void reply.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  client.protocol = protocol;
  ctx.reply.retarget(protocol).value({
    server: 'redis',
    version: REDIS_VERSION,
    proto: protocol,
    id: client.id,
    mode: 'standalone',
    role: 'master',
    modules: [],
  });
}

/** The error for a name CLIENT SETNAME / HELLO SETNAME refuses, or null. */
export function validClientName(name: string): string | null {
  return /^[!-~]*$/.test(name) ? null : 'ERR Client names cannot contain spaces, newlines or special characters.';
}

function quit(ctx: CommandContext): void {
  ctx.client.closeAfter(ctx.client.replyMode === 'on' ? '+OK\r\n' : undefined);
}

// RESET: the connection as new: no transaction or watches, RESP2, reply mode on, no name,
// and not authenticated when a password is required.
function reset(ctx: CommandContext): void {
  ctx.server.resetClient(ctx.client);
  ctx.reply.retarget(2).status('RESET');
}

export const connectionCommands: ServerCommand[] = [
  { name: 'ping', arity: -1, run: (ctx) => (ctx.argv.length > 2 ? ctx.reply.error("ERR wrong number of arguments for 'ping' command") : ping(ctx)) },
  { name: 'echo', arity: 2, run: echo },
  { name: 'select', arity: 2, run: select },
  { name: 'auth', arity: -2, noAuth: true, run: auth },
  { name: 'hello', arity: -1, noAuth: true, run: hello },
  { name: 'quit', arity: -1, noAuth: true, runsInMulti: true, run: quit },
  { name: 'reset', arity: 1, noAuth: true, runsInMulti: true, run: reset },
];
