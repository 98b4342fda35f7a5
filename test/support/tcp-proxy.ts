// A TCP proxy on a loopback port, for partitions and cut links (this kernel has no netem).
// cut() drops every connection through it and refuses new ones until restore();
// cutAfter(n) drops a connection once n more bytes went from the target to the client;
// stall() stops reading from the target until resume(), so what it writes backs up.
import net from 'node:net';

export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private down = false;
  private stalled = false;
  private budget = Infinity;
  /** Bytes passed from the target to clients. */
  bytesDown = 0;

  private constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const p = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    return p;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  cut(): void {
    this.down = true;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
    this.budget = Infinity;
  }

  stall(): void {
    this.stalled = true;
    for (const [, target] of this.pairs) target.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const [, target] of this.pairs) target.resume();
  }

  /** Cuts the link once `bytes` more bytes have gone from the target to the client. */
  cutAfter(bytes: number): void {
    this.budget = bytes;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.down) return void client.destroy();
    const target = net.connect(this.targetPort, '127.0.0.1');
    if (this.stalled) target.pause();
    const pair: [net.Socket, net.Socket] = [client, target];
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      target.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    target.on('error', end).on('close', end);
    client.on('data', (d: Buffer) => target.write(d));
    target.on('data', (d: Buffer) => {
      if (d.length >= this.budget) {
        client.write(d.subarray(0, this.budget));
        this.budget = Infinity;
        this.cut();
        this.down = false;
        return;
      }
      this.budget -= d.length;
      this.bytesDown += d.length;
      client.write(d);
    });
  }
}
