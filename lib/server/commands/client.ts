// CLIENT: a connection names itself, reads its id and state, lists and kills others, and
// controls its replies (REPLY ON|OFF|SKIP).
import type { Client } from '../client';
import { validClientName } from './connection';
import { arg, argUpper, parseInteger, runSubcommand, type CommandContext, type ServerCommand, type Subcommands } from './types';

/** One line of CLIENT LIST / CLIENT INFO, with Redis's field names. */
export function describeClient(c: Client, now: number): string {
  const flags = (c.transaction ? 'x' : '') + (c.noEvict ? 'e' : '') + (c.noTouch ? 'T' : '') || 'N';
  const fields: [string, string | number][] = [
    ['id', c.id],
    ['addr', c.addr],
    ['laddr', c.laddr],
    ['fd', (c.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1],
    ['name', c.name],
    ['age', Math.floor((now - c.createdAt) / 1000)],
    ['idle', Math.floor((now - c.lastInteraction) / 1000)],
    ['flags', flags],
    ['db', 0],
    ['sub', 0],
    ['psub', 0],
    ['ssub', 0],
    ['multi', c.transaction ? c.transaction.queue.length : -1],
    ['qbuf', c.queryBufferLength],
    ['obl', 0],
    ['oll', 0],
    ['omem', c.socket.writableLength],
    ['events', 'r'],
    ['cmd', c.lastCommand],
    ['user', c.user],
    ['redir', -1],
    ['resp', c.protocol],
    ['lib-name', c.libName],
    ['lib-ver', c.libVer],
  ];
  return fields.map(([k, v]) => `${k}=${v}`).join(' ') + '\n';
}

function list(ctx: CommandContext): void {
  let clients = [...ctx.server.clients.values()];
  for (let i = 2; i < ctx.argv.length; i++) {
    const option = argUpper(ctx, i);
    if (option === 'TYPE' && i + 1 < ctx.argv.length) {
      const type = arg(ctx, ++i).toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) {
        return void ctx.reply.error(`ERR Unknown client type '${arg(ctx, i)}'`);
      }
      if (type !== 'normal') clients = [];
    } else if (option === 'ID' && i + 1 < ctx.argv.length) {
      const ids = new Set<number>();
      for (i++; i < ctx.argv.length; i++) {
        const id = parseInteger(arg(ctx, i));
        if (id === null || id <= 0) return void ctx.reply.error('ERR Invalid client ID');
        ids.add(id);
      }
      clients = clients.filter((c) => ids.has(c.id));
    } else {
      return void ctx.reply.error('ERR syntax error');
    }
  }
  const now = Date.now();
  ctx.reply.verbatim(clients.map((c) => describeClient(c, now)).join(''));
}

// CLIENT KILL addr:port (old form: error when none) or filters (new form: count killed).
function kill(ctx: CommandContext): void {
  const { server, client, reply } = ctx;
  if (ctx.argv.length === 3) {
    const target = [...server.clients.values()].find((c) => c.addr === arg(ctx, 2));
    if (!target) return void reply.error('ERR No such client');
    server.killClient(target, client);
    return void reply.ok();
  }
  if (ctx.argv.length % 2 !== 0) return void reply.error('ERR syntax error');
  const tests: ((c: Client) => boolean)[] = [];
  let skipMe = true;
  for (let i = 2; i < ctx.argv.length; i += 2) {
    const option = argUpper(ctx, i);
    const value = arg(ctx, i + 1);
    if (option === 'ID') {
      const id = parseInteger(value);
      if (id === null || id <= 0) return void reply.error('ERR client-id should be greater than 0');
      tests.push((c) => c.id === id);
    } else if (option === 'ADDR') tests.push((c) => c.addr === value);
    else if (option === 'LADDR') tests.push((c) => c.laddr === value);
    else if (option === 'USER') {
      if (!server.userExists(value)) return void reply.error(`ERR No such user '${value}'`);
      tests.push((c) => c.user === value);
    }
    else if (option === 'TYPE') {
      const type = value.toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) {
        return void reply.error(`ERR Unknown client type '${value}'`);
      }
      tests.push(() => type === 'normal');
    } else if (option === 'SKIPME') {
      const v = value.toLowerCase();
      if (v !== 'yes' && v !== 'no') return void reply.error('ERR syntax error');
      skipMe = v === 'yes';
    } else return void reply.error('ERR syntax error');
  }
  const victims = [...server.clients.values()].filter((c) => (!skipMe || c !== client) && tests.every((t) => t(c)));
  for (const c of victims) server.killClient(c, client);
  reply.integer(victims.length);
}

function onOff(ctx: CommandContext, set: (on: boolean) => void): void {
  const v = argUpper(ctx, 2);
  if (v !== 'ON' && v !== 'OFF') return void ctx.reply.error('ERR syntax error');
  set(v === 'ON');
  ctx.reply.ok();
}

// CLIENT REPLY: OFF and SKIP are not answered; SKIP silences only the next command.
function replyMode(ctx: CommandContext): void {
  const v = argUpper(ctx, 2);
  if (v === 'ON') {
    ctx.client.replyMode = 'on';
    return void ctx.reply.ok();
  }
  if (v !== 'OFF' && v !== 'SKIP') return void ctx.reply.error('ERR syntax error');
  ctx.client.replyMode = v === 'OFF' ? 'off' : 'skip';
}

function setinfo(ctx: CommandContext): void {
  const attr = argUpper(ctx, 2);
  const value = arg(ctx, 3);
  if (attr !== 'LIB-NAME' && attr !== 'LIB-VER') return void ctx.reply.error(`ERR Unrecognized option '${arg(ctx, 2)}'`);
  if (!/^[!-~]*$/.test(value)) {
    return void ctx.reply.error(`ERR ${attr.toLowerCase()} cannot contain spaces, newlines or special characters.`);
  }
  if (attr === 'LIB-NAME') ctx.client.libName = value;
  else ctx.client.libVer = value;
  ctx.reply.ok();
}

// CLIENT PAUSE timeout [WRITE|ALL]: see client-pause.ts.
function pause(ctx: CommandContext): void {
  const ms = parseInteger(arg(ctx, 2));
  if (ms === null) return void ctx.reply.error('ERR timeout is not an integer or out of range');
  if (ms < 0) return void ctx.reply.error('ERR timeout is negative');
  const mode = ctx.argv.length > 3 ? argUpper(ctx, 3) : 'ALL';
  if (ctx.argv.length > 4 || (mode !== 'ALL' && mode !== 'WRITE')) return void ctx.reply.error('ERR syntax error');
  ctx.server.pause.pause(mode === 'ALL' ? 'all' : 'write', ms);
  ctx.reply.ok();
}

const HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are: ID, ADDR, LADDR, USER, TYPE, SKIPME.',
  'LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> [<id> ...]]',
  '    Return information about client connections.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'NO-EVICT (ON|OFF)',
  '    Protect the current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <LIB-NAME|LIB-VER> <value>',
  '    Set client meta attributes.',
  'HELP',
  '    Print this help.',
];

// name -> [arity, handler]; arity as for commands, counting "CLIENT" and the subcommand.
const SUBCOMMANDS: Subcommands = {
  SETNAME: [3, (ctx) => {
    const bad = validClientName(arg(ctx, 2));
    if (bad) return void ctx.reply.error(bad);
    ctx.client.name = arg(ctx, 2);
    ctx.reply.ok();
  }],
  GETNAME: [2, (ctx) => (ctx.client.name ? ctx.reply.bulk(ctx.client.name) : ctx.reply.null())],
  ID: [2, (ctx) => ctx.reply.integer(ctx.client.id)],
  INFO: [2, (ctx) => ctx.reply.verbatim(describeClient(ctx.client, Date.now()))],
  LIST: [-2, list],
  KILL: [-3, kill],
  REPLY: [3, replyMode],
  'NO-EVICT': [3, (ctx) => onOff(ctx, (on) => (ctx.client.noEvict = on))],
  'NO-TOUCH': [3, (ctx) => onOff(ctx, (on) => (ctx.client.noTouch = on))],
  SETINFO: [4, setinfo],
  PAUSE: [-3, pause],
  UNPAUSE: [2, (ctx) => {
    ctx.server.pause.unpause();
    ctx.reply.ok();
  }],
  HELP: [2, (ctx) => {
    ctx.reply.array(HELP.length);
    for (const line of HELP) ctx.reply.status(line);
  }],
};

export const clientCommands: ServerCommand[] = [
  { name: 'client', arity: -2, subcommands: SUBCOMMANDS, run: (ctx) => runSubcommand(ctx, SUBCOMMANDS) },
];
