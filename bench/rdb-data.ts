// A large RDB file written by a real redis-server from a mixed dataset, and how long
// redis itself takes to load it: the file and the baseline for benchmarking the
// project's RDB reader.
//
// The data: about 60% of the bytes are strings (ints, short, medium, large, a few
// huge), the rest hashes, lists, sets and zsets in sizes on both sides of redis's
// thresholds, so listpack, intset, hashtable, skiplist and multi-node quicklist
// encodings all appear. It goes in as pipelined RESP over a raw socket (the replies are
// one line each, so they are only counted), then SAVE; if the file is short of the
// target, more of the same mix is added and saved again. A second redis-server then
// loads the file and its log line "DB loaded from disk: X seconds" is the load time.
//
// Files are cached in `dir` by target size: a rerun only measures the load.
//   [RDB_DATA_VERBOSE=1] npx tsx bench/rdb-data.ts 50mb [dir]
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { mulberry32 } from '../test/support/random';
import { startRedisServer } from '../test/support/redis-server';
import { RespClient, connectSocket, parseReply } from '../test/support/resp';

export interface BenchRdb {
  file: string;
  keys: number;
  redisLoadSeconds: number;
}

export async function generateBenchRdb(targetBytes: number, dir: string): Promise<BenchRdb> {
  dir = path.resolve(dir); // redis chdirs into it
  fs.mkdirSync(dir, { recursive: true });
  const name = `mixed-${targetBytes}.rdb`;
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) await generate(targetBytes, dir, name);
  return { file, ...(await measureLoad(dir, name)) };
}

// ---- writing commands fast ---------------------------------------------------

const CHUNK = 1 << 20;

/** Encodes commands straight into 1 MB chunks and writes them; counts the one-line replies. */
class Pipe {
  private buf = Buffer.allocUnsafe(CHUNK);
  private len = 0;
  private sent = 0;
  private replies = 0;
  private error = '';
  private atLineStart = true;
  private waiter: (() => void) | undefined;
  /** Set while the socket's buffer is full; cleared on 'drain'. */
  blocked: Promise<void> | undefined;

  constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (this.atLineStart && c === 0x2d /* '-' */) {
          const end = chunk.indexOf(13, i);
          this.error ||= chunk.toString('latin1', i, end < 0 ? chunk.length : end);
        }
        this.atLineStart = c === 10;
        if (c === 10) this.replies++;
      }
      if (this.waiter && this.replies >= this.sent) this.waiter();
    });
  }

  /** One command; numbers are written as decimal arguments. */
  command(args: (string | number | Buffer)[]): void {
    this.ascii(`*${args.length}\r\n`);
    for (const a of args) {
      // Long strings go in as bytes: ascii() is for headers and short arguments.
      const b = typeof a === 'number' ? String(a) : typeof a === 'string' && a.length > 256 ? Buffer.from(a) : a;
      const n = typeof b === 'string' ? Buffer.byteLength(b) : b.length;
      this.ascii(`$${n}\r\n`);
      if (typeof b === 'string') this.ascii(b);
      else this.bytes(b);
      this.ascii('\r\n');
    }
    this.sent++;
  }

  private ascii(s: string): void {
    if (this.len + s.length * 3 > CHUNK) this.flush();
    this.len += this.buf.write(s, this.len);
  }

  private bytes(b: Buffer): void {
    if (this.len + b.length > CHUNK) this.flush();
    if (b.length > CHUNK) this.write(b);
    else this.len += b.copy(this.buf, this.len);
  }

  private flush(): void {
    if (!this.len) return;
    this.write(this.buf.subarray(0, this.len));
    this.buf = Buffer.allocUnsafe(CHUNK); // the socket keeps the old one until written
    this.len = 0;
  }

  private write(b: Buffer): void {
    if (!this.socket.write(b) && !this.blocked) {
      this.blocked = new Promise((r) => this.socket.once('drain', () => r((this.blocked = undefined))));
    }
  }

  /** Call between commands when `blocked`: waits for the socket (keeps memory bounded). */
  async drain(): Promise<void> {
    await this.blocked;
    if (this.error) throw new Error(`redis: ${this.error}`);
  }

  /** Sends what is buffered and waits for every reply. */
  async finish(): Promise<void> {
    this.flush();
    await this.blocked;
    if (this.replies < this.sent) await new Promise<void>((r) => (this.waiter = r));
    this.waiter = undefined;
    if (this.error) throw new Error(`redis: ${this.error}`);
  }
}

// ---- the data ------------------------------------------------------------------

/** Deterministic sizes and picks (mulberry32), so a given target always makes the same file. */
function prng(seed: number) {
  const next = mulberry32(seed);
  /** An integer in [lo, hi], skewed towards lo (sizes in real data are). */
  const size = (lo: number, hi: number) => Math.floor(lo + (hi - lo + 1) * next() ** 2);
  return { next, size };
}

/**
 * Values are slices of random base64 text: LZF finds nothing to compress within a value
 * (the file is about as big as the data), and the text looks like real payloads.
 */
const POOL = (() => {
  const r = prng(42);
  const bytes = Buffer.alloc(3 << 20);
  for (let i = 0; i < bytes.length; i++) bytes[i] = r.next() * 256;
  return Buffer.from(bytes.toString('base64'));
})();

/** Where the target bytes go: [share, make one item and return its estimated RDB bytes]. */
type Maker = (p: Pipe, r: ReturnType<typeof prng>, key: string) => number;

const value = (r: ReturnType<typeof prng>, len: number) => {
  const off = Math.floor(r.next() * (POOL.length - len));
  return POOL.subarray(off, off + len);
};

function stringOf(lo: number, hi: number): Maker {
  return (p, r, key) => {
    const v = value(r, r.size(lo, hi));
    p.command(['SET', key, v]);
    return 12 + v.length;
  };
}

const intString: Maker = (p, r, key) => {
  // small (shared objects), 32-bit and 64-bit values: RDB int8/16/32 encodings and digit strings.
  const kind = r.next();
  const v = kind < 0.5 ? Math.floor(r.next() * 10000) : kind < 0.85 ? Math.floor((r.next() - 0.5) * 2 ** 32) : Math.floor((r.next() - 0.5) * 2 ** 62);
  p.command(['SET', key, v]);
  return 16;
};

/** A collection of `lo..hi` elements, sent in commands of at most 1000 elements. */
function collection(cmd: string, lo: number, hi: number, element: (r: ReturnType<typeof prng>, i: number) => (string | number | Buffer)[]): Maker {
  return (p, r, key) => {
    const n = r.size(lo, hi);
    let bytes = 12;
    for (let start = 0; start < n; start += 1000) {
      const args: (string | number | Buffer)[] = [cmd, key];
      for (let i = start; i < Math.min(n, start + 1000); i++) {
        for (const a of element(r, i)) {
          args.push(a);
          bytes += 2 + (typeof a === 'number' ? 4 : a.length);
        }
      }
      p.command(args);
    }
    return bytes;
  };
}

// Thresholds (redis 7.0 built-in defaults): hash 512 entries / 64 bytes, zset 128 / 64,
// intset 512, list nodes 8 KB. Each type has a part below and a part above.
/** [share of the bytes, key prefix, maker] */
const MIX: [number, string, Maker][] = [
  [0.04, 'int', intString],
  [0.14, 'str:s', stringOf(8, 64)],
  [0.2, 'str:m', stringOf(64, 1024)],
  [0.18, 'str:l', stringOf(1024, 16384)],
  [0.04, 'str:xl', stringOf(65536, 524288)],
  [0.05, 'hash:s', collection('HSET', 5, 100, (r, i) => [`f${i}`, value(r, r.size(2, 40))])],
  [0.07, 'hash:l', collection('HSET', 600, 3000, (r, i) => [`field:${i}`, i % 4 ? value(r, r.size(2, 80)) : i])],
  [0.04, 'list:s', collection('RPUSH', 5, 100, (r, i) => [i % 3 ? value(r, r.size(2, 60)) : i])],
  [0.06, 'list:l', collection('RPUSH', 1000, 20000, (r, i) => [i % 3 ? value(r, r.size(4, 120)) : i * 7919])],
  [0.03, 'set:int', collection('SADD', 10, 500, (r) => [Math.floor((r.next() - 0.5) * 2 ** (r.next() < 0.5 ? 16 : 40))])],
  [0.06, 'set:l', collection('SADD', 600, 5000, (r) => [value(r, r.size(6, 40))])],
  [0.03, 'zset:s', collection('ZADD', 5, 100, (r) => [Math.floor(r.next() * 1000), value(r, r.size(4, 30))])],
  [0.06, 'zset:l', collection('ZADD', 200, 3000, (r) => [r.next() * 1e6, value(r, r.size(6, 40))])],
];

async function fill(port: number, bytes: number, seed: number): Promise<void> {
  const socket = await connectSocket(port);
  const p = new Pipe(socket);
  const r = prng(seed);
  try {
    for (const [share, prefix, make] of MIX) {
      for (let done = 0, id = 0; done < share * bytes; id++) {
        done += make(p, r, `${prefix}:${seed}:${id}`);
        if (p.blocked) await p.drain();
      }
    }
    await p.finish();
  } finally {
    socket.destroy();
  }
}

const log = (line: string) => process.env.RDB_DATA_VERBOSE && console.error(`rdb-data: ${line}`);

async function generate(targetBytes: number, dir: string, name: string): Promise<void> {
  const tmp = `${name}.tmp-${process.pid}`;
  // SAVE writes straight into the cache dir; the server's own temp dir stays empty.
  const server = await startRedisServer({ args: ['--dir', dir, '--dbfilename', tmp] });
  const file = path.join(dir, tmp);
  try {
    const client = await RespClient.connect(server.port);
    try {
      // Estimates are rough: top up with the same mix until the file is within 10%.
      for (let round = 0, size = 0; size < 0.9 * targetBytes && round < 4; round++) {
        const t0 = Date.now();
        await fill(server.port, targetBytes - size, round + 1);
        const t1 = Date.now();
        const reply = parseReply((await client.send([['SAVE']]))[0]!);
        if (reply !== 'OK') throw new Error(`SAVE: ${String(reply)}`);
        size = fs.statSync(file).size;
        log(`round ${round + 1}: filled in ${(t1 - t0) / 1000} s, SAVE ${(Date.now() - t1) / 1000} s, ${size} bytes`);
      }
    } finally {
      await client.close();
    }
    fs.renameSync(file, path.join(dir, name));
  } finally {
    await server.stop();
    fs.rmSync(file, { force: true });
  }
}

async function measureLoad(dir: string, name: string): Promise<{ keys: number; redisLoadSeconds: number }> {
  const log = path.join(os.tmpdir(), `redis-aa-load-${process.pid}-${Date.now()}.log`);
  // --save '' (from startRedisServer) keeps it from rewriting the cached file on shutdown.
  const server = await startRedisServer({
    args: ['--dir', dir, '--dbfilename', name, '--logfile', log, '--loglevel', 'notice'],
    timeoutMs: 30 * 60_000, // PING answers LOADING until the file is in
  });
  try {
    const client = await RespClient.connect(server.port);
    const keys = parseReply((await client.send([['DBSIZE']]))[0]!) as number;
    await client.close();
    const m = /DB loaded from disk: ([\d.]+) seconds/.exec(fs.readFileSync(log, 'utf8'));
    if (!m) throw new Error(`no "DB loaded from disk" line in ${log}`);
    return { keys, redisLoadSeconds: Number(m[1]) };
  } finally {
    await server.stop();
    fs.rmSync(log, { force: true });
  }
}

/** "50mb", "1gb", "1000000" -> bytes. */
function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|m|g)?b?$/i.exec(s);
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] ?? ' ').toLowerCase()));
}

if (require.main === module) {
  const [size = '50mb', dir = path.join(os.tmpdir(), 'redis-aa-bench-rdb')] = process.argv.slice(2);
  const t = Date.now();
  generateBenchRdb(parseSize(size), dir).then(
    (res) => console.log(JSON.stringify({ ...res, bytes: fs.statSync(res.file).size, seconds: (Date.now() - t) / 1000 })),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
