// The floor of any Redis server written on Node's sockets: it parses nothing, runs nothing
// and answers "+OK" to each request (it counts the '*' that start RESP requests, which is
// exact for redis-benchmark's traffic). Run beside ours and redis-server in bench/server.ts,
// it shows what the event loop and the socket calls alone cost, per read.
import net from 'node:net';

const port = Number(process.argv[2]);
const OK = Buffer.from('+OK\r\n');
net
  .createServer({ noDelay: true }, (socket) => {
    socket.on('data', (chunk: Buffer) => {
      let n = 0;
      for (let i = chunk.indexOf(42); i >= 0; i = chunk.indexOf(42, i + 1)) n++;
      socket.write(n === 1 ? OK : Buffer.from('+OK\r\n'.repeat(n)));
    });
    socket.on('error', () => socket.destroy());
  })
  .listen(port, '127.0.0.1');
