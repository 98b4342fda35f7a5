// What a master writes into its replication stream, as RESP commands (so offsets count
// bytes the way Redis counts them, and PING / REPLCONF GETACK travel inside it as in Redis).
// Between shards of this project the data travels as CRDT.EFFECTS <effect batch>: the
// replica joins the batch, so it holds the full CRDT state and can take over as master.
import { RequestEncoder } from '../protocol/request-encoder';

const encoder = new RequestEncoder();

/** A request as RESP, for the few commands a replica sends its master (a Buffer of its own). */
export function request(...args: (string | number)[]): Buffer {
  encoder.encode([args]);
  return Buffer.from(encoder.take());
}

export const EFFECTS_COMMAND = 'crdt.effects';

const EFFECTS_HEAD = Buffer.from('*2\r\n$12\r\nCRDT.EFFECTS\r\n');
const CRLF = Buffer.from('\r\n');

/** One effect batch (Keyspace.drainEffects) as a stream command. */
export function effectsCommand(batch: Buffer): Buffer {
  const len = Buffer.from(`$${batch.length}\r\n`);
  return Buffer.concat([EFFECTS_HEAD, len, batch, CRLF], EFFECTS_HEAD.length + len.length + batch.length + 2);
}

export const PING_COMMAND = request('PING');
export const GETACK_COMMAND = request('REPLCONF', 'GETACK', '*');
