// FAILOVER: a master hands its role to one of its replicas without losing a write, as in
// Redis 7. Writes are paused (clients that write wait), the master waits until the
// target has acknowledged every byte of the stream, then becomes a replica
// of the target with PSYNC <replid> <offset> FAILOVER: the target promotes itself and
// answers +CONTINUE with its new history, so nothing is copied again. Then the paused
// writes go on, and get READONLY. Past the timeout the failover is aborted (the paused
// writes run here after all), unless FORCE says to go on anyway.
import type { AttachedReplica } from './attached-replica';
import type { Replication } from './replication';

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export interface FailoverRequest {
  target?: { host: string; port: number };
  force: boolean;
  timeoutMs: number; // 0: none
}

export class Failover {
  state: FailoverState = 'no-failover';
  private timer?: NodeJS.Timeout;
  private stopWaiting?: () => void;
  private request: FailoverRequest | null = null;

  constructor(private readonly repl: Replication) {}

  /** Starts a failover; returns Redis's error text, or null. */
  begin(request: FailoverRequest): string | null {
    const repl = this.repl;
    if (repl.isReplica()) return 'ERR FAILOVER is not valid when server is a replica.';
    if (repl.replicas.size === 0) return 'ERR FAILOVER requires connected replicas.';
    if (this.state !== 'no-failover') return 'ERR FAILOVER already in progress.';
    if (request.target) {
      const t = this.targetReplica(request);
      if (!t) return 'ERR FAILOVER target HOST and PORT is not a replica.';
      if (t.state !== 'online') return 'ERR FAILOVER target replica is not online.';
    }
    this.request = request;
    this.state = 'waiting-for-sync';
    repl.server.pause.setFailover(true);
    repl.server.log.info({ target: request.target, timeoutMs: request.timeoutMs, force: request.force }, 'FAILOVER requested');
    this.stopWaiting = repl.onAck(() => this.check());
    if (request.timeoutMs > 0) this.timer = setTimeout(() => this.timedOut(), request.timeoutMs);
    repl.requestAcks();
    this.check();
    return null;
  }

  /** FAILOVER ABORT; returns an error text or null. */
  abort(why = 'FAILOVER ABORT'): string | null {
    if (this.state === 'no-failover') return 'ERR No failover in progress.';
    const wasSwitching = this.state === 'failover-in-progress';
    this.state = 'no-failover'; // first: the link that replicaOfNoOne stops must not abort again
    if (wasSwitching) this.repl.replicaOfNoOne();
    this.finish();
    this.repl.server.log.warn({ why }, 'FAILOVER aborted');
    return null;
  }

  /** The master link reached its new master (+CONTINUE or a full sync): the failover is done. */
  linked(): void {
    if (this.state !== 'failover-in-progress') return;
    this.repl.server.log.info('FAILOVER finished: now a replica of the new master');
    this.finish();
  }

  /** The master link failed during the switch: become a master again. */
  linkFailed(): void {
    if (this.state === 'failover-in-progress') this.abort('the target did not accept PSYNC FAILOVER');
  }

  private targetReplica(request: FailoverRequest): AttachedReplica | undefined {
    const t = request.target;
    if (!t) return undefined;
    for (const r of this.repl.replicas) if (r.port === t.port && (r.ip === t.host || (t.host === 'localhost' && r.ip === '127.0.0.1'))) return r;
    return undefined;
  }

  private check(): void {
    if (this.state !== 'waiting-for-sync' || !this.request) return;
    const offset = this.repl.masterReplOffset;
    let chosen: AttachedReplica | undefined;
    if (this.request.target) {
      const t = this.targetReplica(this.request);
      if (t && t.ackOffset >= offset) chosen = t;
    } else {
      for (const r of this.repl.replicas) if (r.state === 'online' && r.ackOffset >= offset && (!chosen || r.ackOffset > chosen.ackOffset)) chosen = r;
    }
    if (chosen) this.switchTo(chosen.ip, chosen.port);
  }

  private timedOut(): void {
    if (this.state !== 'waiting-for-sync' || !this.request) return;
    const t = this.request.target;
    if (this.request.force && t) this.switchTo(t.host, t.port);
    else this.abort('the replica did not catch up within the timeout');
  }

  private switchTo(host: string, port: number): void {
    this.state = 'failover-in-progress';
    this.stopWaiting?.();
    clearTimeout(this.timer);
    this.repl.server.log.info({ target: `${host}:${port}` }, 'FAILOVER: replica caught up, handing over the master role');
    this.repl.replicaOf(host, port, { failover: true });
  }

  private finish(): void {
    this.state = 'no-failover';
    this.request = null;
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    clearTimeout(this.timer);
    this.repl.server.pause.setFailover(false);
  }
}
