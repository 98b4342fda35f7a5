// Accepting connections whose reads land in one shared buffer. By default Node allocates a
// 64 KB buffer for every read and routes it through the stream machinery to a 'data'
// event; at one small request per read (a client that does not pipeline) that allocation
// and routing cost as much as running the command. net.Socket's `onread` option reads into
// a buffer we own and calls us directly, but net.Server has no such option, so the
// listening handle's connection callback is replaced by one that builds the sockets
// itself, as net.Server's own does. A read is handled before the next one is made, so one
// buffer serves every connection; what a read leaves unparsed is copied out (client.ts).
import net from 'node:net';

export type ReadCallback = (nread: number, buf: Buffer) => void;

interface RawHandle {
  onconnection?: (err: number, clientHandle: unknown) => void;
  setNoDelay?(on: boolean): void;
}

/** The buffer every read lands in, server connections and the replica's master link alike. */
export const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * Calls `onSocket` for each accepted connection with a socket that delivers its reads to the
 * callback `onSocket` returns instead of 'data' events. Returns false (and changes nothing)
 * when this Node's listening handle does not look as expected; 'connection' events then
 * carry ordinary sockets.
 */
export function acceptWithSharedBuffer(server: net.Server, onSocket: (socket: net.Socket, onRead: (cb: ReadCallback) => void) => void): boolean {
  const handle = (server as unknown as { _handle?: RawHandle })._handle;
  if (!handle || typeof handle.onconnection !== 'function') return false;
  const counted = server as unknown as { _connections: number };
  handle.onconnection = (err: number, clientHandle: unknown) => {
    if (err) return void server.emit('error', new Error(`accept failed (${err})`));
    let deliver: ReadCallback = () => {};
    const socket = new net.Socket({
      handle: clientHandle,
      readable: true,
      writable: true,
      onread: { buffer: READ_BUFFER, callback: (n: number, buf: Buffer) => deliver(n, buf) },
    } as unknown as net.SocketConstructorOpts);
    (clientHandle as RawHandle).setNoDelay?.(true);
    counted._connections++;
    (socket as unknown as { _server: net.Server })._server = server;
    onSocket(socket, (cb) => (deliver = cb));
  };
  return true;
}
