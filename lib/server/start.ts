// `redis-active-active start`: one instance serving Redis clients until SIGTERM or SIGINT,
// which save the snapshot file (with --dir) and close the listener and every connection
// before the process exits. With --dir, the snapshot file is loaded at start; with
// --replica-of, the instance follows that master (this project's or a real Redis).
import * as path from 'node:path';
import pino from 'pino';

import { saveSnapshot } from '../persistence/commands';
import { readSnapshotFile } from '../persistence/snapshot-file';
import { parseMemory } from './config';
import { Server, type ServerOptions } from './server';

export interface StartOptions {
  port: string;
  bind: string;
  instanceId: string;
  requirepass?: string;
  user: string[];
  maxclients?: string;
  timeout?: string;
  protoMaxBulkLen?: string;
  protectedMode: string;
  loglevel: string;
  dir?: string;
  dbfilename?: string;
  replicaOf?: string;
  masterauth?: string;
  masteruser?: string;
  replBacklogSize?: string;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function serverOptions(o: StartOptions): ServerOptions {
  const users: Record<string, string> = {};
  for (const pair of o.user) {
    const at = pair.indexOf(':');
    if (at <= 0) throw new Error(`--user takes name:password, got "${pair}"`);
    users[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const maxBulk = o.protoMaxBulkLen === undefined ? undefined : parseMemory(o.protoMaxBulkLen);
  if (maxBulk === null) throw new Error('--proto-max-bulk-len takes a memory value such as 512mb');
  if (!/^(yes|no)$/.test(o.protectedMode)) throw new Error('--protected-mode takes yes or no');
  const backlog = o.replBacklogSize === undefined ? undefined : parseMemory(o.replBacklogSize);
  if (backlog === null || (backlog !== undefined && backlog < 16 * 1024)) throw new Error('--repl-backlog-size takes a memory value of at least 16kb, such as 1mb');
  return {
    port: integer('port', o.port, 0, 65535),
    bind: o.bind,
    instanceId: integer('instance-id', o.instanceId, 1, 65535),
    requirepass: o.requirepass,
    users,
    maxclients: o.maxclients === undefined ? undefined : integer('maxclients', o.maxclients, 1, 2 ** 31 - 1),
    timeout: o.timeout === undefined ? undefined : integer('timeout', o.timeout, 0, 2 ** 31 - 1),
    protoMaxBulkLen: maxBulk,
    protectedMode: o.protectedMode === 'yes',
    loglevel: o.loglevel,
    dir: o.dir === undefined ? undefined : path.resolve(o.dir),
    dbfilename: o.dbfilename,
    masterauth: o.masterauth,
    masteruser: o.masteruser,
    replBacklogSize: backlog,
  };
}

/** --replica-of host:port */
export function parseHostPort(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const port = Number(value.slice(at + 1));
  if (at <= 0 || !/^[0-9]+$/.test(value.slice(at + 1)) || port > 65535) throw new Error(`--replica-of takes host:port, got "${value}"`);
  return { host: value.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
}

export async function start(o: StartOptions): Promise<void> {
  const logger = pino({ level: o.loglevel === 'debug' ? 'debug' : 'info', base: { instanceId: Number(o.instanceId) } });
  const options = serverOptions(o);
  const master = o.replicaOf === undefined ? undefined : parseHostPort(o.replicaOf);
  const file = options.dir ? path.join(options.dir, options.dbfilename ?? 'dump.rdb') : undefined;
  const loaded = file ? readSnapshotFile(file, options.instanceId!) : null;
  if (loaded) logger.info({ file, bytes: loaded.bytes, keys: loaded.keyspace.stats().keys }, 'DB loaded from disk');
  const server = new Server({ ...options, keyspace: loaded?.keyspace, logger });
  if (loaded) server.replication.restore(loaded.aux, master !== undefined);
  await server.listen();
  if (master) server.replication.replicaOf(master.host, master.port);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    if (server.config.dir) {
      try {
        saveSnapshot(server);
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'could not save the snapshot at shutdown');
      }
    }
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
