// Random and mutated RESP thrown at the server over real sockets, one connection per case.
//
// Cases are valid pipelines (multibulk and inline commands, RESP2 or RESP3) put through
// one to four mutations: byte flips and special bytes, truncations, deletions, inserted
// garbage, huge, negative and malformed declared lengths ('*' counts up to 2^31 and
// beyond, '$' lengths past proto-max-bulk-len), inline lines with quotes and escapes,
// nested multibulks, over-long lines without a newline. Each case is written (in random
// fragments), then our side of the connection is closed, and the server must:
//   - answer with complete, well-formed RESP replies only, and
//   - if it sends '-ERR Protocol error...', send it last (it closes after it), and
//   - close the connection promptly once we have closed ours.
// Every few cases, and at the end, a healthy connection (kept open from the start) and a
// fresh one must still get correct answers to SET/GET, and the server process (a child
// process, started with the CLI) must be alive.
//
// Generation is fast-check with a fixed seed. Defaults: 300 cases, seed 20240611.
//   FUZZ_SERVER_RUNS=5000 npx vitest run test/server/protocol-fuzz.test.ts   (longer run)
//   FUZZ_SEED=123 ...                                                          (other cases)
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { show } from '../support/compare';
import { freePort, hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server';
import { encodeCommand, replyEnd, RespClient, type Argv } from '../support/resp';

const RUNS = Number(process.env.FUZZ_SERVER_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
/** A health check (SET/GET on the long-lived connection) after this many cases. */
const HEALTH_EVERY = 25;
/** How long the server may take to close after we closed our side. */
const CLOSE_TIMEOUT_MS = 3000;

// ---- the server, as its own process ----

const ROOT = path.resolve(__dirname, '../..');

interface Child {
  port: number;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

function exited(p: ChildProcess): boolean {
  return p.exitCode !== null || p.signalCode !== null;
}

async function startChild(): Promise<Child> {
  const port = await freePort();
  const child = spawn(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [path.join(ROOT, 'lib/cli.ts'), 'start', '--port', String(port), '--loglevel', 'warning'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = async () => {
    if (exited(child)) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(t);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited(child)) throw new Error(`server exited early (code ${child.exitCode}):\n${output}`);
    try {
      const c = await RespClient.connect(port);
      const [pong] = await c.send([['PING']]);
      await c.close();
      if (pong!.toString() === '+PONG\r\n') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not answer PING:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, process: child, output: () => output, stop };
}

// ---- generation ----

const KEYS = ['k1', 'k2', 'h1', 'l1', 's1', 'z1'];
const key = fc.constantFrom(...KEYS);
const value = fc.oneof(
  fc.constantFrom('', '0', '1', '-1', '10', '3.5', 'v', 'hello world', 'a"b', "it's", 'x\r\ny', '9223372036854775807'),
  fc.string({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
);

/** Commands whose replies are deterministic and that leave the server usable. */
const command: fc.Arbitrary<Argv> = fc.oneof(
  fc.tuple(key, value).map(([k, v]) => ['SET', k, v]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['INCR', k]),
  fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]),
  key.map((k) => ['DEL', k]),
  key.map((k) => ['TYPE', k]),
  fc.tuple(key, value, value).map(([k, f, v]) => ['HSET', k, f, v]),
  fc.tuple(key, value).map(([k, f]) => ['HGET', k, f]),
  fc.tuple(key, value).map(([k, v]) => ['RPUSH', k, v]),
  key.map((k) => ['LRANGE', k, '0', '-1']),
  fc.tuple(key, value).map(([k, m]) => ['SADD', k, m]),
  key.map((k) => ['SCARD', k]),
  fc.tuple(key, value, value).map(([k, s, m]) => ['ZADD', k, s, m]),
  key.map((k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES']),
  fc.constant(['PING']),
  value.map((v) => ['PING', v]),
  value.map((v) => ['ECHO', v]),
  fc.constant(['MULTI']),
  fc.constant(['EXEC']),
  fc.constant(['DISCARD']),
  fc.constant(['NOSUCHCOMMAND', 'x']),
  fc.constant(['GET']),
);

const SAFE_INLINE = /^[A-Za-z0-9_.:-]+$/;

/** An argv as an inline line, quoting like redis-cli: "..." with \xHH escapes where needed. */
function inlineLine(argv: Argv): Buffer {
  const words = argv.map((a) => {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    const s = b.toString('latin1');
    if (SAFE_INLINE.test(s)) return s;
    let q = '"';
    for (const byte of b) {
      const c = String.fromCharCode(byte);
      if (c === '"' || c === '\\') q += `\\${c}`;
      else if (byte >= 0x20 && byte < 0x7f) q += c;
      else q += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
    return q + '"';
  });
  return Buffer.from(words.join(' ') + '\r\n', 'latin1');
}

const encoded = fc.tuple(command, fc.boolean()).map(([argv, inline]) => (inline ? inlineLine(argv) : encodeCommand(argv)));

// Declared lengths around every limit: 2^31, int64, proto-max-bulk-len (512 MB), and
// the 1M multibulk count some parsers stop at; negative, empty and non-numeric ones.
const WEIRD_COUNTS = [
  '0', '-1', '-2', '-2147483648', '1', '3', '1024', '1048576', '1048577', '2147483647', '2147483648',
  '4294967296', '9223372036854775807', '9223372036854775808', '99999999999999999999', '', 'x', '1x', '+1',
  ' 1', '01', '-0', '1.5',
];
const WEIRD_LENGTHS = [...WEIRD_COUNTS, '536870912', '536870913', '65536', '32768'];

const SNIPPETS = [
  '*2147483647\r\n',
  '*2147483648\r\n',
  '*1048577\r\n',
  '*-1\r\n',
  '*0\r\n',
  '$-1\r\n',
  '$536870913\r\n',
  '$2147483648\r\n',
  '*1\r\n*1\r\n$4\r\nPING\r\n',
  '*2\r\n$4\r\nECHO\r\n:1\r\n',
  '*1\r\n$4\r\nPING\r\r\n',
  '*1\r\n$4\r\nPINGxx',
  '*1\r\n$0\r\n\r\n',
  '"unbalanced\r\n',
  "'single\r\n",
  '"a"b\r\n',
  "'a'b\r\n",
  'ECHO "\\x41\\n\\t\\"q\\""\r\n',
  "ECHO 'it\\'s' \"x y\"\r\n",
  'ECHO "\\xZZ"\r\n',
  'ECHO "trailing\\\r\n',
  'SET k1 "a\x00b"\r\n',
  'PING\n',
  '\r\n',
  '\n',
  '\r',
  ' \t \r\n',
  '*\r\n',
  '$\r\n',
  '*1\r',
  '+OK\r\n',
  ':1\r\n',
  '-ERR x\r\n',
  '_\r\n',
  '%1\r\n',
  '~2\r\n',
  '\x00\xff\xfe',
];

/** A line with no newline past the 64 KB inline and header limits. */
const LONG_LINES = [
  () => Buffer.alloc(70_000, 'a'),
  () => Buffer.concat([Buffer.from('*'), Buffer.alloc(70_000, '1')]),
  () => Buffer.concat([Buffer.from('*1\r\n$'), Buffer.alloc(70_000, '9')]),
  () => Buffer.concat([Buffer.from('ECHO "'), Buffer.alloc(70_000, 'q')]),
];

type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; bytes: Buffer }
  | { kind: 'count'; nth: number; to: string }
  | { kind: 'length'; nth: number; to: string }
  | { kind: 'long'; at: number; which: number };

const at = fc.nat({ max: 1 << 20 });
const special = fc.constantFrom(...Buffer.from('\r\n*$-+:"\'\\ \t0 9x\x00\xff'));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), at, byte: special }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 16 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at,
      bytes: fc.oneof(
        fc.constantFrom(...SNIPPETS).map((s) => Buffer.from(s, 'latin1')),
        fc.uint8Array({ minLength: 1, maxLength: 24 }).map((a) => Buffer.from(a)),
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('count' as const), nth: fc.nat(8), to: fc.constantFrom(...WEIRD_COUNTS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('length' as const), nth: fc.nat(16), to: fc.constantFrom(...WEIRD_LENGTHS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('long' as const), at, which: fc.nat(LONG_LINES.length - 1) }) },
);

/** Replaces the number after the nth header of `type` ('*' or '$') at a line start. */
function replaceHeader(buf: Buffer, type: string, nth: number, to: string): Buffer {
  const starts: number[] = [];
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === type.charCodeAt(0) && (i === 0 || buf[i - 1] === 0x0a)) starts.push(i);
  }
  if (starts.length === 0) return buf;
  const s = starts[nth % starts.length]!;
  const e = buf.indexOf('\r', s);
  if (e < 0) return buf;
  return Buffer.concat([buf.subarray(0, s + 1), Buffer.from(to), buf.subarray(e)]);
}

function mutate(buf: Buffer, m: Mutation): Buffer {
  const pos = buf.length === 0 ? 0 : m.kind === 'count' || m.kind === 'length' ? 0 : (m as { at: number }).at % (buf.length + 1);
  switch (m.kind) {
    case 'flip':
    case 'set': {
      if (buf.length === 0) return buf;
      const out = Buffer.from(buf);
      const i = pos % buf.length;
      out[i] = m.kind === 'flip' ? out[i]! ^ m.xor : m.byte;
      return out;
    }
    case 'truncate':
      return buf.subarray(0, pos);
    case 'delete':
      return Buffer.concat([buf.subarray(0, pos), buf.subarray(pos + m.len)]);
    case 'insert':
      return Buffer.concat([buf.subarray(0, pos), m.bytes, buf.subarray(pos)]);
    case 'long':
      return Buffer.concat([buf.subarray(0, pos), LONG_LINES[m.which]!()]);
    case 'count':
      return replaceHeader(buf, '*', m.nth, m.to);
    case 'length':
      return replaceHeader(buf, '$', m.nth, m.to);
  }
}

interface Case {
  resp3: boolean;
  bytes: Buffer;
  /** Where the bytes are cut into separate writes. */
  cuts: number[];
}

const fuzzCase: fc.Arbitrary<Case> = fc
  .record({
    resp3: fc.boolean(),
    pipeline: fc.array(encoded, { minLength: 1, maxLength: 8 }),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
    cuts: fc.array(at, { maxLength: 4 }),
  })
  .map(({ resp3, pipeline, mutations, cuts }) => {
    const bytes = mutations.reduce(mutate, Buffer.concat(pipeline));
    return { resp3, bytes, cuts: [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b) };
  });

// ---- running one case ----

interface Outcome {
  /** Everything the server sent after HELLO. */
  received: Buffer;
  /** The server closed within CLOSE_TIMEOUT_MS of our closing. */
  closed: boolean;
  /** The connection was reset (a server closing with unread input sends RST). */
  reset: boolean;
}

function runCase(port: number, c: Case): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    let received = Buffer.alloc(0);
    let helloLeft = c.resp3 ? -1 : 0; // bytes of the HELLO reply still to skip (-1: unknown yet)
    let timer: NodeJS.Timeout | undefined;
    let reset = false;
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (helloLeft === -1) {
        const end = replyEnd(received);
        if (end < 0) return;
        received = received.subarray(end);
        helloLeft = 0;
        send();
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNRESET (or EPIPE) after the server closed on a protocol error while input was unread.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closed: true, reset });
    });
    const send = () => {
      let from = 0;
      for (const cut of [...c.cuts, c.bytes.length]) {
        if (cut > from) socket.write(c.bytes.subarray(from, cut));
        from = cut;
      }
      socket.end();
      timer = setTimeout(() => {
        socket.destroy();
        resolve({ received, closed: false, reset });
      }, CLOSE_TIMEOUT_MS);
    };
    socket.once('connect', () => {
      if (c.resp3) socket.write(encodeCommand(['HELLO', '3']));
      else send();
    });
    socket.once('error', (err) => {
      if (!socket.connecting) return;
      reject(err);
    });
  });
}

const PROTOCOL_ERROR = '-ERR Protocol error';

/** Why the outcome breaks the rules, or null. */
export function verdict(o: Outcome): string | null {
  if (!o.closed) return `the server did not close within ${CLOSE_TIMEOUT_MS} ms after we closed`;
  let pos = 0;
  let protocolErrorAt = -1;
  let replies = 0;
  while (pos < o.received.length) {
    let end: number;
    try {
      end = replyEnd(o.received, pos);
    } catch (err) {
      return `malformed reply at byte ${pos}: ${String(err)}`;
    }
    if (end < 0) return `incomplete reply at byte ${pos} (${o.received.length} bytes received)`;
    if (o.received.subarray(pos, end).toString('latin1').startsWith(PROTOCOL_ERROR)) {
      if (protocolErrorAt >= 0) return 'two protocol errors';
      protocolErrorAt = replies;
    } else if (protocolErrorAt >= 0) {
      return `reply after the protocol error: ${show(o.received.subarray(pos, end))}`;
    }
    replies++;
    pos = end;
  }
  return null;
}

function describeCase(c: Case, o: Outcome | null, why: string): string {
  return `${why}\n    resp${c.resp3 ? 3 : 2}, ${c.bytes.length} bytes in writes cut at [${c.cuts.join(', ')}]: ${show(
    c.bytes,
    300,
  )}${o ? `\n    received: ${show(o.received, 300)}` : ''}`;
}

// ---- the tests ----

describe('protocol fuzz', () => {
  let child: Child;
  let healthy: RespClient;
  let checks = 0;

  const healthCheck = async (where: string) => {
    expect(exited(child.process), `server process exited (${where}):\n${child.output()}`).toBe(false);
    checks++;
    const value = `v${checks}-${'x'.repeat(checks % 7)}`;
    const fresh = await RespClient.connect(child.port);
    try {
      for (const c of [healthy, fresh]) {
        const [set, get] = await c.send([
          ['SET', 'fuzz:health', value],
          ['GET', 'fuzz:health'],
        ]);
        expect(set!.toString(), where).toBe('+OK\r\n');
        expect(get!.toString(), where).toBe(`$${value.length}\r\n${value}\r\n`);
      }
    } finally {
      await fresh.close();
    }
  };

  beforeAll(async () => {
    child = await startChild();
    healthy = await RespClient.connect(child.port);
  }, 40_000);

  afterAll(async () => {
    await healthy?.close();
    await child?.stop();
  });

  it(`${RUNS} mutated pipelines (seed ${SEED}): answered or closed with a protocol error`, async () => {
    const cases = fc.sample(fuzzCase, { seed: SEED, numRuns: RUNS });
    const failures: string[] = [];
    let protocolErrors = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      let outcome: Outcome | null = null;
      let why: string | null;
      try {
        outcome = await runCase(child.port, c);
        why = verdict(outcome);
        if (outcome.received.includes(PROTOCOL_ERROR)) protocolErrors++;
      } catch (err) {
        why = `connection failed: ${String(err)}`;
      }
      if (why) failures.push(`case ${i}: ${describeCase(c, outcome, why)}`);
      if ((i + 1) % HEALTH_EVERY === 0) await healthCheck(`after case ${i}`);
    }
    await healthCheck('at the end');
    expect(failures.slice(0, 10).join('\n'), `${failures.length} of ${cases.length} cases failed`).toBe('');
    // The mutations must reach the error paths, not only well-formed requests.
    expect(protocolErrors).toBeGreaterThan(cases.length / 10);
  }, 120_000);

  it('the verdict catches what it must', () => {
    const ok = (received: string) => verdict({ received: Buffer.from(received, 'latin1'), closed: true, reset: false });
    expect(ok('+OK\r\n:1\r\n%1\r\n$1\r\na\r\n,1.5\r\n-ERR Protocol error: invalid bulk length\r\n')).toBeNull();
    expect(ok('$5\r\nab')).toMatch(/incomplete/);
    expect(ok('?x\r\n')).toMatch(/malformed/);
    expect(ok('-ERR Protocol error: x\r\n+OK\r\n')).toMatch(/after the protocol error/);
    expect(verdict({ received: Buffer.alloc(0), closed: false, reset: false })).toMatch(/did not close/);
  });

  // Exploration, not a pass/fail check: the same cases sent to redis-server 7.0, replies
  // compared byte for byte, differences printed. Redis's parser differs on purpose or by
  // accident in corners (it stops at NUL bytes in inline and header lines, does not check
  // a bulk's trailing CRLF, takes '*' counts up to 2^31-1), and a connection Redis closes
  // with unread input is reset, losing replies, so those cases are skipped.
  //   FUZZ_DIFF=1 npx vitest run test/server/protocol-fuzz.test.ts -t differential
  it.skipIf(!hasRedisServer || !process.env.FUZZ_DIFF)('differential with redis-server (exploration)', async () => {
    const redis: RedisServer = await startRedisServer();
    const ctlRedis = await RespClient.connect(redis.port);
    const ctlOurs = await RespClient.connect(child.port);
    try {
      const cases = fc.sample(fuzzCase, { seed: SEED + 1, numRuns: RUNS });
      const diffs: string[] = [];
      let skipped = 0;
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i]!;
        await Promise.all([ctlRedis.send([['FLUSHALL']]), ctlOurs.send([['FLUSHALL']])]);
        const [r, o] = await Promise.all([runCase(redis.port, c), runCase(child.port, c)]);
        if (r.reset) skipped++;
        else if (!r.received.equals(o.received)) {
          diffs.push(`case ${i}: ${describeCase(c, o, 'differs')}\n    redis:    ${show(r.received, 300)}`);
        }
      }
      console.log(`${diffs.length} of ${cases.length} cases differ (${skipped} skipped: reset by redis)\n${diffs.join('\n')}`);
    } finally {
      await ctlRedis.close();
      await ctlOurs.close();
      await redis.stop();
    }
  }, 300_000);
});
