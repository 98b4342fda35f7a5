// `redis-active-active start`: one instance serving Redis clients until SIGTERM or SIGINT,
// which close the listener and every connection before the process exits.
import pino from 'pino';

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
  };
}

export async function start(o: StartOptions): Promise<void> {
  const logger = pino({ level: o.loglevel === 'debug' ? 'debug' : 'info', base: { instanceId: Number(o.instanceId) } });
  const server = new Server({ ...serverOptions(o), logger });
  await server.listen();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
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
