// This project's server, in the test process, on a free loopback port.
import { Server, type ServerOptions } from '../../lib/index';

export interface RunningServer {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const server = new Server({ port: 0, ...options });
  await server.listen();
  let stopped = false;
  return {
    server,
    port: server.port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.close();
    },
  };
}
