// SAVE, BGSAVE and LASTSAVE over the snapshot file. Saving is synchronous (this process
// does not fork): BGSAVE saves too, then answers as Redis does.
import * as path from 'node:path';

import type { ServerCommand } from '../server/commands/types';
import type { Server } from '../server/server';
import { writeSnapshotFile } from './snapshot-file';

/** Writes the snapshot file now; returns its path. Throws when no dir is configured or the write fails. */
export function saveSnapshot(server: Server): string {
  if (!server.config.dir) throw new Error('ERR no snapshot directory configured (start with --dir)');
  server.drainNow();
  const file = path.join(server.config.dir, server.config.dbfilename);
  const rdb = server.keyspace.toRdb({ form: 'crdt', aux: server.replication.persistedAux() });
  writeSnapshotFile(file, rdb);
  server.lastSaveAt = Date.now();
  server.log.info({ file, bytes: rdb.length }, 'DB saved on disk');
  return file;
}

function saveOrError(server: Server): string | null {
  try {
    saveSnapshot(server);
    return null;
  } catch (err) {
    const message = (err as Error).message;
    server.log.warn({ err: message }, 'save failed');
    return message.startsWith('ERR ') ? message : `ERR ${message}`;
  }
}

export const persistenceCommands: ServerCommand[] = [
  {
    name: 'save',
    arity: 1,
    run: (ctx) => {
      const error = saveOrError(ctx.server);
      if (error) ctx.reply.error(error);
      else ctx.reply.ok();
    },
  },
  {
    name: 'bgsave',
    arity: -1,
    run: (ctx) => {
      const error = saveOrError(ctx.server);
      if (error) ctx.reply.error(error);
      else ctx.reply.status('Background saving started');
    },
  },
  { name: 'lastsave', arity: 1, run: (ctx) => ctx.reply.integer(Math.floor(ctx.server.lastSaveAt / 1000)) },
];
