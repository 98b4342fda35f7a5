// The replication commands, with Redis 7.0's syntax, replies and error texts: PSYNC, SYNC
// and REPLCONF (what replicas send), REPLICAOF / SLAVEOF, ROLE, WAIT and FAILOVER.
import { arg, argUpper, parseInteger, type CommandContext, type ServerCommand } from '../server/commands/types';

function psync(ctx: CommandContext): void {
  const failover = ctx.argv.length > 3 && argUpper(ctx, 3) === 'FAILOVER';
  if (ctx.argv.length > 3 && !failover) return void ctx.reply.error('ERR syntax error');
  const error = ctx.server.replication.psync(ctx.client, arg(ctx, 1), arg(ctx, 2), failover);
  if (error) ctx.reply.error(error);
}

function sync(ctx: CommandContext): void {
  const error = ctx.server.replication.sync(ctx.client);
  if (error) ctx.reply.error(error);
}

function replconf(ctx: CommandContext): void {
  const { client, server } = ctx;
  if (ctx.argv.length % 2 === 0) return void ctx.reply.error('ERR syntax error');
  const state = client.replconf ?? { listeningPort: 0, capa: new Set<string>(), rdbOnly: false };
  for (let i = 1; i < ctx.argv.length; i += 2) {
    const option = arg(ctx, i).toLowerCase();
    const value = arg(ctx, i + 1);
    switch (option) {
      case 'listening-port': {
        const port = parseInteger(value);
        if (port === null) return void ctx.reply.error('ERR value is not an integer or out of range');
        state.listeningPort = port;
        break;
      }
      case 'ip-address':
        if (value.length > 46) return void ctx.reply.error(`ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`);
        state.ipAddress = value;
        break;
      case 'capa':
        state.capa.add(value.toLowerCase());
        break;
      case 'rdb-only': {
        if (value !== '0' && value !== '1') return void ctx.reply.error('ERR value is out of range, must be 0 or 1');
        state.rdbOnly = value === '1';
        break;
      }
      case 'rdb-filter-only':
        break;
      case 'ack': {
        // From a replica only, and never answered.
        const offset = parseInteger(value);
        if (client.replica && offset !== null) server.replication.ack(client, offset);
        return;
      }
      case 'getack':
        // Our master asking inside the stream is handled by the link; from a client, nothing.
        return;
      default:
        return void ctx.reply.error(`ERR Unrecognized REPLCONF option: ${arg(ctx, i)}`);
    }
  }
  client.replconf = state;
  ctx.reply.ok();
}

function replicaof(ctx: CommandContext): void {
  const repl = ctx.server.replication;
  if (repl.failover.state !== 'no-failover') return void ctx.reply.error('ERR REPLICAOF not allowed while failing over.');
  if (argUpper(ctx, 1) === 'NO' && argUpper(ctx, 2) === 'ONE') {
    repl.replicaOfNoOne();
    return void ctx.reply.ok();
  }
  const host = arg(ctx, 1);
  const port = parseInteger(arg(ctx, 2));
  if (port === null || port < 0 || port > 65535) return void ctx.reply.error('ERR Invalid master port');
  if (repl.link && repl.link.host === host && repl.link.port === port) return void ctx.reply.status('OK Already connected to specified master');
  repl.replicaOf(host, port);
  ctx.reply.ok();
}

function role(ctx: CommandContext): void {
  const repl = ctx.server.replication;
  const link = repl.link;
  if (link) {
    const offset = link.state === 'connected' ? repl.appliedOffset() : -1;
    ctx.reply.array(5).bulk('slave').bulk(link.host).integer(link.port).bulk(link.state).integer(offset);
    return;
  }
  ctx.reply.array(3).bulk('master').integer(repl.masterReplOffset).array(repl.replicas.size);
  for (const r of repl.replicas) ctx.reply.array(3).bulk(r.ip).bulk(String(r.port)).bulk(String(r.ackOffset));
}

// WAIT numreplicas timeout: blocks the client until that many replicas acknowledged every
// write made so far, or the timeout (ms, 0: none) passes; replies how many did.
function wait(ctx: CommandContext): void {
  const { server, client } = ctx;
  const repl = server.replication;
  const wanted = parseInteger(arg(ctx, 1));
  if (wanted === null) return void ctx.reply.error('ERR value is not an integer or out of range');
  const timeout = parseInteger(arg(ctx, 2));
  if (timeout === null) return void ctx.reply.error('ERR timeout is not an integer or out of range');
  if (timeout < 0) return void ctx.reply.error('ERR timeout is negative');
  if (repl.isReplica()) {
    return void ctx.reply.error(
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable ' +
        '(which is not the default) writes to replicas are just local and are not propagated.',
    );
  }
  server.drainNow();
  const target = repl.masterReplOffset;
  const reached = repl.replicasAt(target);
  if (reached >= wanted || client.inExec) return void ctx.reply.integer(reached);
  client.block();
  let timer: NodeJS.Timeout | undefined;
  const done = () => {
    stop();
    clearTimeout(timer);
    client.unblock(`:${repl.replicasAt(target)}\r\n`);
  };
  const stop = repl.onAck(() => {
    if (client.closing) {
      stop();
      clearTimeout(timer);
    } else if (repl.replicasAt(target) >= wanted) done();
  });
  if (timeout > 0) timer = setTimeout(done, timeout);
  repl.requestAcks();
}

function failover(ctx: CommandContext): void {
  const repl = ctx.server.replication;
  let target: { host: string; port: number } | undefined;
  let force = false;
  let abort = false;
  let timeoutMs = 0;
  for (let i = 1; i < ctx.argv.length; i++) {
    const word = argUpper(ctx, i);
    const more = ctx.argv.length - i - 1;
    if (word === 'TO' && more >= 2 && !target) {
      const port = parseInteger(arg(ctx, i + 2));
      if (port === null || port < 0 || port > 65535) return void ctx.reply.error('ERR Invalid port');
      target = { host: arg(ctx, i + 1), port };
      i += 2;
    } else if (word === 'TIMEOUT' && more >= 1 && timeoutMs === 0) {
      const ms = parseInteger(arg(ctx, i + 1));
      if (ms === null) return void ctx.reply.error('ERR value is not an integer or out of range');
      if (ms <= 0) return void ctx.reply.error('ERR FAILOVER timeout must be greater than 0');
      timeoutMs = ms;
      i += 1;
    } else if (word === 'FORCE' && !force) {
      force = true;
    } else if (word === 'ABORT' && !abort) {
      abort = true;
    } else {
      return void ctx.reply.error('ERR syntax error');
    }
  }
  if (abort) {
    if (ctx.argv.length > 2) return void ctx.reply.error('ERR FAILOVER abort doesn\'t accept other arguments');
    const error = repl.failover.abort();
    return void (error ? ctx.reply.error(error) : ctx.reply.ok());
  }
  if (force && (!target || timeoutMs === 0)) {
    return void ctx.reply.error('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
  }
  const error = repl.failover.begin({ target, force, timeoutMs });
  if (error) ctx.reply.error(error);
  else ctx.reply.ok();
}

export const replicationCommands: ServerCommand[] = [
  { name: 'psync', arity: -3, run: psync },
  { name: 'sync', arity: 1, run: sync },
  { name: 'replconf', arity: -1, run: replconf },
  { name: 'replicaof', arity: 3, run: replicaof },
  { name: 'slaveof', arity: 3, run: replicaof },
  { name: 'role', arity: 1, run: role },
  { name: 'wait', arity: 3, run: wait },
  { name: 'failover', arity: -1, run: failover },
];
