// The Redis endpoint of one instance: a TCP server that speaks RESP2/RESP3 to any Redis
// client. Keyspace commands run natively, a socket read at a time (see client.ts); the
// connection, server and transaction commands run here.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pino, { type Logger } from 'pino';

import { Keyspace } from '../keyspace';
import { persistenceCommands } from '../persistence/commands';
import { replicationCommands } from '../replication/commands';
import { Replication } from '../replication/replication';
import { acceptWithSharedBuffer } from './accept';
import { Client } from './client';
import { ClientPause } from './client-pause';
import { clientCommands } from './commands/client';
import { commandCommand } from './commands/command';
import { COMMAND_TABLE } from './commands/command-table';
import { connectionCommands } from './commands/connection';
import { serverCommands } from './commands/server';
import { transactionCommands, unwatchAll } from './commands/transactions';
import type { ServerCommand } from './commands/types';
import { subcommandError, wrongArgs } from './commands/types';
import { DEFAULT_SETTINGS, type ServerSettings } from './config';
import { RespWriter } from './resp-writer';

export interface ServerOptions extends Partial<ServerSettings> {
  /** This instance's id (1..65535); ignored when `keyspace` is given. */
  instanceId?: number;
  /** Serve an existing keyspace instead of a new one. */
  keyspace?: Keyspace;
  /** ACL-style users besides "default" (whose password is `requirepass`): name -> password. */
  users?: Record<string, string>;
  /** A pino logger; silent when absent. */
  logger?: Logger;
  /**
   * Receives the effects of local writes, one batch per turn of the event loop in which
   * clients wrote (what peers and replicas will be fed). Without it they are dropped, so
   * that a lone instance does not hold them forever.
   */
  onEffects?: (batch: Buffer) => void;
}

export interface ServerStats {
  connectionsReceived: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  serverCommands: number;
}

const newStats = (): ServerStats => ({
  connectionsReceived: 0,
  rejectedConnections: 0,
  netInputBytes: 0,
  netOutputBytes: 0,
  serverCommands: 0,
});

const TS_COMMANDS: ServerCommand[] = [
  ...connectionCommands,
  ...clientCommands,
  ...serverCommands,
  ...transactionCommands,
  ...replicationCommands,
  ...persistenceCommands,
  commandCommand,
];

// Replies of one read up to this size go through the reused reply area; larger ones (up to
// execResp's 1 MB slice) come in their own Buffer.
const REPLY_AREA = 64 * 1024;

// Redis's protected mode: with no password set, only loopback clients are served.
const DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers, set a password with --requirepass or disable protected mode with CONFIG SET protected-mode no.\r\n';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export class Server {
  /** Replaced only by a replica's full sync (replaceKeyspace). */
  keyspace: Keyspace;
  readonly config: ServerSettings;
  readonly log: Logger;
  readonly clients = new Map<number, Client>();
  readonly commands = new Map<string, ServerCommand>(TS_COMMANDS.map((c) => [c.name, c]));
  readonly runId = randomBytes(20).toString('hex');
  readonly replication: Replication;
  readonly pause = new ClientPause((writes) => this.keyspace.pauseWrites(writes, this.writeCommandNames()));
  readonly startedAt = Date.now();
  lastSaveAt = Date.now();
  stats = newStats();
  peakMemory = 0;
  /** Where execResp writes a read's replies (see Client.send for when it is replaced). */
  replyArea = Buffer.allocUnsafeSlow(REPLY_AREA);

  private readonly users: Map<string, string>;
  private readonly net: net.Server;
  private nextClientId = 1;
  private cronTimer?: NodeJS.Timeout;
  private expireTimer?: NodeJS.Timeout;
  private opsSample = { at: Date.now(), commands: 0, perSecond: 0 };
  private readonly onEffects?: (batch: Buffer) => void;
  private readonly ownsKeyspace: boolean;
  private drainScheduled = false;
  private writeNames?: string[];
  private writeSet?: Set<string>;

  constructor(options: ServerOptions = {}) {
    const { instanceId, keyspace, users, logger, onEffects, ...settings } = options;
    this.onEffects = onEffects;
    this.config = {
      ...DEFAULT_SETTINGS,
      ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
    } as ServerSettings;
    this.keyspace = keyspace ?? new Keyspace({ instanceId: instanceId ?? 1 });
    this.ownsKeyspace = keyspace === undefined;
    this.log = logger ?? pino({ level: 'silent' });
    this.users = new Map(Object.entries(users ?? {}));
    this.net = net.createServer({ noDelay: true }, (socket) => {
      socket.setNoDelay(true);
      const client = this.accept(socket);
      socket.on('data', (chunk: Buffer) => client?.onData(chunk, false));
    });
    this.replication = new Replication(this);
    this.recordEffectsIfWanted();
    this.configChanged();
  }

  /**
   * The keyspace encodes the effects of local writes only when something takes them: the
   * replication backlog (from the first replica on), onEffects, or the owner of a keyspace
   * handed to the server (who may drain it). Without, every write would be encoded and
   * then dropped by drainNow(), as Redis feeds no replication stream before a replica.
   */
  recordEffectsIfWanted(): void {
    this.keyspace.recordEffects(!this.ownsKeyspace || this.onEffects !== undefined || this.replication.hasBacklog());
  }

  /** Starts listening on config.port (0: any free port) and config.bind. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(this.config.port, this.config.bind, () => {
        this.net.off('error', reject);
        resolve();
      });
    });
    acceptWithSharedBuffer(this.net, (socket, onRead) => {
      const client = this.accept(socket);
      if (client) onRead((n, buf) => client.onData(buf.subarray(0, n), true));
    });
    this.config.port = this.port;
    this.cronTimer = setInterval(() => this.cron(), 1000);
    this.restartExpireTimer();
    this.log.info({ port: this.port, bind: this.config.bind, instanceId: this.keyspace.stats().instanceId }, 'ready to accept connections');
  }

  get port(): number {
    const a = this.net.address();
    return a && typeof a === 'object' ? a.port : this.config.port;
  }

  /** Stops accepting, closes every client, and resolves when the listener is closed. */
  async close(): Promise<void> {
    clearInterval(this.cronTimer);
    clearInterval(this.expireTimer);
    this.replication.close();
    const closed = new Promise<void>((resolve) => this.net.close(() => resolve()));
    for (const c of this.clients.values()) c.kill();
    await closed;
    this.log.info('server closed');
  }

  /** As in Redis: the default user needs a password only when requirepass is set; other users always do. */
  authRequired(): boolean {
    return this.config.requirepass !== '';
  }

  userExists(user: string): boolean {
    return user === 'default' || this.users.has(user);
  }

  checkPassword(user: string, password: string): boolean {
    if (user === 'default') return this.config.requirepass === '' || password === this.config.requirepass;
    return this.users.get(user) === password;
  }

  /** Applies settings that live outside config (the parser's bulk limit, the expire timer). */
  configChanged(): void {
    this.keyspace.setProtoMaxBulkLen(this.config.protoMaxBulkLen);
    this.replication?.resizeBacklog(this.config.replBacklogSize);
    if (this.expireTimer) this.restartExpireTimer();
    const levels: Record<string, string> = { debug: 'debug', verbose: 'debug', notice: 'info', warning: 'warn', nothing: 'silent' };
    if (this.log.level !== 'silent') this.log.level = levels[this.config.loglevel] ?? 'info';
  }

  resetStats(): void {
    this.stats = newStats();
  }

  opsPerSecond(): number {
    return this.opsSample.perSecond;
  }

  renewReplyArea(): void {
    this.replyArea = Buffer.allocUnsafeSlow(REPLY_AREA);
  }

  /** Called after a client's read ran: drains the effects once this turn's reads are done. */
  scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drainNow();
    });
  }

  /** Sends the effects of local writes so far into the replication stream and to onEffects. */
  drainNow(): void {
    const batch = this.keyspace.drainEffects();
    if (batch.length === 0) return;
    this.replication.feedEffects(batch);
    this.onEffects?.(batch);
  }

  /**
   * A replica's full sync brings a whole new keyspace: it replaces the old one at once (the
   * old one stays served until the new one is complete). WATCHed keys count as changed.
   */
  replaceKeyspace(next: Keyspace): void {
    const old = this.keyspace;
    this.drainNow();
    for (const c of this.clients.values()) if (c.watching) c.watching.stale = true;
    this.keyspace = next;
    this.recordEffectsIfWanted();
    this.configChanged();
    next.pauseWrites(this.pause.writes, this.writeCommandNames());
    old.close();
  }

  /** The commands that write (Redis's "write" flag): what a read-only replica refuses. */
  writeCommandNames(): string[] {
    this.writeNames ??= Object.entries(COMMAND_TABLE)
      .filter(([, spec]) => spec.flags.split(' ').includes('write'))
      .map(([name]) => name);
    return this.writeNames;
  }

  private isWrite(name: Buffer): boolean {
    this.writeSet ??= new Set(this.writeCommandNames());
    return this.writeSet.has(name.toString('latin1').toLowerCase());
  }

  // A write, or an EXEC that would run one; queueing a command inside MULTI writes nothing.
  private isWriteRequest(client: Client, argv: Buffer[]): boolean {
    const tx = client.transaction;
    if (!tx) return this.isWrite(argv[0]!);
    return argv[0]!.toString('latin1').toLowerCase() === 'exec' && tx.queue.some((queued) => this.isWrite(queued[0]!));
  }

  /** RESET: the connection as freshly accepted. */
  resetClient(client: Client): void {
    client.transaction = null;
    unwatchAll(this, client);
    client.protocol = 2;
    client.replyMode = 'on';
    client.name = '';
    client.noEvict = false;
    client.noTouch = false;
    client.user = 'default';
    client.authenticated = !this.authRequired();
  }

  killClient(victim: Client, by: Client): void {
    this.log.info({ client: victim.id, addr: victim.addr, by: by.id }, 'client killed');
    victim.kill();
  }

  /**
   * Runs a command the keyspace handed over: a server command, or (while the client is
   * unauthenticated, in a transaction or skipping a reply) any command.
   */
  dispatch(client: Client, argv: Buffer[]): void {
    if (this.pause.writes && !client.replica && client.authenticated) {
      const write = this.isWriteRequest(client, argv);
      if (this.pause.all || write) return this.pause.hold(client, argv, write);
    }
    const skipping = client.replyMode === 'skip';
    const reply = new RespWriter(client.protocol);
    this.runCommand(client, argv, reply);
    if (!reply.isEmpty()) client.send(reply.toBuffer());
    if (skipping) client.replyMode = 'on';
  }

  private runCommand(client: Client, argv: Buffer[], reply: RespWriter): void {
    const name = argv[0]!.toString('latin1').toLowerCase();
    const command = this.commands.get(name);
    client.lastCommand = command?.subcommands && argv.length > 1 ? `${name}|${argv[1]!.toString().toLowerCase()}` : name;
    const arity = command ? command.arity : this.keyspace.commandArity(name);
    if (arity === undefined) return this.reject(client, name, reply, this.keyspace.execRaw([argv])); // worded by the keyspace
    if ((arity > 0 && argv.length !== arity) || (arity < 0 && argv.length < -arity)) {
      return this.reject(client, name, reply, wrongArgs(name));
    }
    const subError = command?.subcommands && argv.length > 1 ? subcommandError(argv, command.subcommands) : null;
    if (subError) return this.reject(client, name, reply, subError);
    if (!client.authenticated && !command?.noAuth) return void reply.error('NOAUTH Authentication required.');
    if (client.transaction && !command?.runsInMulti) {
      if (COMMAND_TABLE[name]?.flags.split(' ').includes('no_multi')) {
        return this.reject(client, name, reply, 'ERR Command not allowed inside a transaction');
      }
      if (this.keyspace.readOnly && this.isWrite(argv[0]!)) {
        return this.reject(client, name, reply, "READONLY You can't write against a read only replica.");
      }
      client.transaction.queue.push(argv);
      return void reply.status('QUEUED');
    }
    this.execute(client, command, argv, reply);
  }

  // A command refused before it runs. Inside MULTI it dooms the transaction; a refused EXEC
  // ends it at once, as Redis does.
  private reject(client: Client, name: string, reply: RespWriter, error: string | Buffer): void {
    if (name === 'exec') {
      client.transaction = null;
      unwatchAll(this, client);
      const why = error.toString().replace(/^-?ERR /, '').trimEnd();
      return void reply.error(`EXECABORT Transaction discarded because of: ${why}`);
    }
    if (client.transaction) client.transaction.dirty = true;
    if (typeof error === 'string') reply.error(error);
    else reply.raw(error);
  }

  private execute(client: Client, command: ServerCommand | undefined, argv: Buffer[], reply: RespWriter): void {
    if (!command) return void reply.raw(this.keyspace.execRaw([argv], { resp3: client.resp3 }));
    this.stats.serverCommands++;
    command.run({ server: this, client, argv, reply });
  }

  /** EXEC: the queued commands in order, keyspace ones in batches of one crossing. */
  runQueued(client: Client, queue: Buffer[][], reply: RespWriter): void {
    client.inExec = true;
    try {
      this.runQueuedCommands(client, queue, reply);
    } finally {
      client.inExec = false;
    }
  }

  private runQueuedCommands(client: Client, queue: Buffer[][], reply: RespWriter): void {
    let batch: Buffer[][] = [];
    const flush = () => {
      if (batch.length) reply.raw(this.keyspace.execRaw(batch, { resp3: client.resp3 }));
      batch = [];
    };
    for (const argv of queue) {
      const command = this.commands.get(argv[0]!.toString('latin1').toLowerCase());
      if (!command) {
        batch.push(argv);
        continue;
      }
      flush();
      this.execute(client, command, argv, reply);
    }
    flush();
  }

  private accept(socket: net.Socket): Client | undefined {
    this.stats.connectionsReceived++;
    if (this.clients.size >= this.config.maxclients) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return undefined;
    }
    if (this.config.protectedMode && !this.authRequired() && !isLoopback(socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      socket.end(DENIED);
      return undefined;
    }
    const client = new Client(this, socket, this.nextClientId++);
    this.clients.set(client.id, client);
    this.log.debug({ client: client.id, addr: client.addr }, 'client connected');
    socket.on('error', (err) => this.log.debug({ client: client.id, err: err.message }, 'client socket error'));
    socket.on('close', () => {
      client.closing = true;
      unwatchAll(this, client);
      this.replication.detach(client);
      this.pause.forget(client);
      this.clients.delete(client.id);
      this.log.debug({ client: client.id }, 'client closed');
    });
    return client;
  }

  private cron(): void {
    const now = Date.now();
    for (const c of this.clients.values()) c.cron(now);
    this.replication.cron(now);
    const commands = this.keyspace.stats().commands + this.stats.serverCommands;
    const seconds = (now - this.opsSample.at) / 1000;
    this.opsSample = { at: now, commands, perSecond: Math.round((commands - this.opsSample.commands) / seconds) };
  }

  // Keys whose TTL passed are deleted by their owner even when no client is writing (hz).
  private restartExpireTimer(): void {
    clearInterval(this.expireTimer);
    this.expireTimer = setInterval(() => {
      if (!this.pause.writes) this.keyspace.activeExpire(200);
    }, Math.max(1, Math.round(1000 / this.config.hz)));
    this.expireTimer.unref();
  }
}
