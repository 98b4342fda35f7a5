// A full sync's RDB file as it arrives. The file's head says which kind it is: this
// project's CRDT form (aux field raa-instance-id) is joined chunk by chunk, while it
// arrives, into a new keyspace of the master's instance id, which replaces the old one only
// once the whole file (checksum included) is in. A real Redis's file is read through as it
// arrives and kept, to be imported once it proved whole: importing changes the live data.
import { Keyspace } from '../keyspace';
import { binding, type NativeRdbLoader, type NativeRdbReader } from '../native';

/** What a complete file held; `aux`: its aux fields (replication position, instance id...). */
export type ReceivedSnapshot = { aux: Record<string, string>; keys: number } & (
  | { kind: 'crdt'; keyspace: Keyspace }
  | { kind: 'plain'; chunks: Buffer[] }
);

export class IncomingSnapshot {
  // Until the head is read: the chunks so far, and a reader that only looks at them.
  private head: Buffer[] = [];
  private sniffer: NativeRdbReader | null = new binding.RdbReader({ records: false, verifyChecksum: false });
  private crdt: { keyspace: Keyspace; loader: NativeRdbLoader } | null = null;
  private plain: { chunks: Buffer[]; check: NativeRdbReader } | null = null;
  private aux: Record<string, string> = {};

  /** Takes the next bytes of the file; throws on a damaged file. */
  feed(chunk: Buffer): void {
    if (this.crdt) {
      this.crdt.loader.feed(chunk);
      this.readAux(chunk);
      return;
    }
    if (this.plain) {
      this.plain.check.feed(chunk);
      this.plain.chunks.push(chunk);
      return;
    }
    this.head.push(chunk);
    this.readAux(chunk);
    if (this.aux['raa-instance-id'] !== undefined) this.start(Number(this.aux['raa-instance-id']));
    else if (!this.sniffer) this.start(null);
  }

  // Every aux field comes before the first key: the sniffer reads no further.
  private readAux(chunk: Buffer): void {
    if (!this.sniffer) return;
    this.sniffer.feed(chunk);
    const { aux, keys } = this.sniffer.summary();
    this.aux = aux;
    if (keys > 0) this.sniffer = null;
  }

  /** The file is complete: the new keyspace, or a real Redis's file read through. Throws on a damaged file. */
  finish(): ReceivedSnapshot {
    if (!this.crdt && !this.plain) this.start(null); // a file without keys
    if (this.crdt) {
      this.crdt.loader.finish();
      const { keyspace } = this.crdt;
      this.crdt = null;
      return { kind: 'crdt', keyspace, keys: keyspace.stats().keys, aux: this.aux };
    }
    const { chunks, check } = this.plain!;
    check.finish();
    this.plain = null;
    const summary = check.summary();
    return { kind: 'plain', chunks, keys: summary.keys, aux: summary.aux };
  }

  /** The transfer broke: frees what was built. */
  discard(): void {
    this.crdt?.keyspace.close();
    this.crdt = null;
    this.plain = null;
    this.head = [];
  }

  private start(instanceId: number | null): void {
    const head = this.head;
    this.head = [];
    if (instanceId !== null) {
      const keyspace = new Keyspace({ instanceId });
      this.crdt = { keyspace, loader: keyspace.rdbLoader({ mode: 'snapshot' }) };
      try {
        for (const c of head) this.crdt.loader.feed(c);
      } catch (err) {
        this.discard();
        throw err;
      }
    } else {
      this.plain = { chunks: [], check: new binding.RdbReader({ records: false }) };
      for (const c of head) this.feed(c);
    }
  }
}
