// What a master writes into its replication stream, as RESP commands (so offsets count
// bytes the way Redis counts them, and PING / REPLCONF GETACK travel inside it as in Redis).
// Between shards of this project the data travels as CRDT.EFFECTS <effect batch>: the
// replica joins the batch, so it holds the full CRDT state and can take over as master.

export const EFFECTS_COMMAND = 'crdt.effects';

const EFFECTS_HEAD = Buffer.from('*2\r\n$12\r\nCRDT.EFFECTS\r\n');
const CRLF = Buffer.from('\r\n');

/** One effect batch (Keyspace.drainEffects) as a stream command. */
export function effectsCommand(batch: Buffer): Buffer {
  const len = Buffer.from(`$${batch.length}\r\n`);
  return Buffer.concat([EFFECTS_HEAD, len, batch, CRLF], EFFECTS_HEAD.length + len.length + batch.length + 2);
}

export const PING_COMMAND = Buffer.from('*1\r\n$4\r\nPING\r\n');
export const GETACK_COMMAND = Buffer.from('*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n');

/** A request as RESP, for the few commands a replica sends its master. */
export function request(...args: (string | number)[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const a of args) {
    const s = String(a);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return Buffer.from(out);
}
