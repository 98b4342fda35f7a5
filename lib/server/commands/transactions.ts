// MULTI / EXEC / DISCARD / WATCH / UNWATCH. Commands between MULTI and EXEC are queued
// (the read loop hands every command over while a transaction is open) and EXEC runs them
// back to back in one turn of the event loop: nothing else, local or from a peer, runs
// in between, and their effects reach the peers together.
//
// WATCH: EXEC does nothing (answers a null array) if a watched key changed since WATCH,
// whether by this instance's clients or by an effect from another instance.
import type { Client } from '../client';
import type { Server } from '../server';
import type { CommandContext, ServerCommand } from './types';

export function unwatchAll(server: Server, client: Client): void {
  if (!client.watching) return;
  if (!client.watching.stale) server.keyspace.unwatch(client.watching.keys);
  client.watching = null;
}

function multi(ctx: CommandContext): void {
  if (ctx.client.transaction) return void ctx.reply.error('ERR MULTI calls can not be nested');
  ctx.client.transaction = { queue: [], dirty: false };
  ctx.reply.ok();
}

function discard(ctx: CommandContext): void {
  if (!ctx.client.transaction) return void ctx.reply.error('ERR DISCARD without MULTI');
  ctx.client.transaction = null;
  unwatchAll(ctx.server, ctx.client);
  ctx.reply.ok();
}

function exec(ctx: CommandContext): void {
  const { client, server, reply } = ctx;
  const tx = client.transaction;
  if (!tx) return void reply.error('ERR EXEC without MULTI');
  client.transaction = null;
  const w = client.watching;
  const changed = w !== null && (w.stale === true || server.keyspace.watchChanged(w.keys, w.since, w.expired));
  unwatchAll(server, client);
  if (tx.dirty) return void reply.error('EXECABORT Transaction discarded because of previous errors.');
  if (changed) return void reply.nullArray();
  reply.array(tx.queue.length);
  server.runQueued(client, tx.queue, reply);
}

function watch(ctx: CommandContext): void {
  const { client, server } = ctx;
  if (client.transaction) return void ctx.reply.error('ERR WATCH inside MULTI is not allowed');
  const keys = ctx.argv.slice(1);
  // Each WATCH registers its keys; EXEC checks every key against the earliest WATCH.
  const since = server.keyspace.watch(keys);
  const expired = server.keyspace.watchExpired(keys);
  const w = client.watching;
  client.watching = w ? { keys: [...w.keys, ...keys], since: w.since, expired: [...w.expired, ...expired] } : { keys, since, expired };
  ctx.reply.ok();
}

export const transactionCommands: ServerCommand[] = [
  { name: 'multi', arity: 1, runsInMulti: true, run: multi },
  { name: 'exec', arity: 1, runsInMulti: true, run: exec },
  { name: 'discard', arity: 1, runsInMulti: true, run: discard },
  { name: 'watch', arity: -2, runsInMulti: true, run: watch },
  {
    name: 'unwatch',
    arity: 1,
    run: (ctx) => {
      unwatchAll(ctx.server, ctx.client);
      ctx.reply.ok();
    },
  },
];
