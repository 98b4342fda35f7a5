import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyspace, ReplyError } from '../../lib/index';

const root = path.join(__dirname, '..', '..');

describe('embedded API', () => {
  it('maps replies to JS values', () => {
    const ks = new Keyspace({ instanceId: 1 });
    expect(ks.exec(['SET', 'k', 'v'])).toBe('OK');
    expect(ks.exec(['GET', 'k'])).toEqual(Buffer.from('v'));
    expect(ks.exec(['GET', 'missing'])).toBeNull();
    expect(ks.exec(['INCRBY', 'n', '9007199254740993'])).toBe(9007199254740993n);
    expect(ks.exec(['SADD', 's', 'a', 'b'])).toBe(2);
    expect((ks.exec(['SMEMBERS', 's']) as Buffer[]).map(String).sort()).toEqual(['a', 'b']);
  });

  it('throws error replies from exec and returns them from execMany', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.exec(['SADD', 's', 'x']);
    expect(() => ks.exec(['GET', 's'])).toThrow(ReplyError);
    expect(() => ks.exec(['GET', 's'])).toThrow('WRONGTYPE Operation against a key holding the wrong kind of value');
    const [ok, err] = ks.execMany([['SET', 'a', '1'], ['INCR', 's']]);
    expect(ok).toBe('OK');
    expect(err).toBeInstanceOf(ReplyError);
  });

  it('accepts Buffers and numbers as arguments, binary safe', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const key = Buffer.from([0, 255, 10, 13]);
    const value = Buffer.from([1, 2, 0, 3, 254]);
    ks.exec(['SET', key, value]);
    expect(ks.exec(['GET', key])).toEqual(value);
    ks.exec(['EXPIRE', key, 100]);
    expect(ks.exec(['TTL', key])).toBe(100);
  });

  it('passes strings as UTF-8 whole, whatever their length', () => {
    const ks = new Keyspace({ instanceId: 1 });
    // Around the core's first read of 256 bytes, a multi-byte character must not be cut off.
    const values = ['a'.repeat(254) + 'é', 'é'.repeat(200), '😀'.repeat(64), 'x'.repeat(300) + '€', 'x\ud800y'];
    values.forEach((v, i) => ks.exec(['SET', `e${i}`, v]));
    ks.execMany(values.map((v, i) => ['SET', `m${i}`, v]));
    values.forEach((v, i) => {
      expect(ks.exec(['GET', `e${i}`])).toEqual(Buffer.from(v));
      expect(ks.exec(['GET', `m${i}`])).toEqual(Buffer.from(v)); // a lone surrogate as U+FFFD
    });
  });

  it('execMany runs the commands before an invalid one, then throws', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const odd = [['SET', 'a', '1'], ['GET', {} as unknown as string], ['SET', 'b', '2']];
    expect(() => ks.execMany(odd)).toThrow(TypeError);
    expect(ks.exec(['GET', 'a'])).toEqual(Buffer.from('1'));
    expect(ks.exec(['GET', 'b'])).toBeNull();
    // Empty argvs and typed arrays other than Uint8Array take the array path, in order.
    const mixed = ks.execMany([['SET', 'c', 3], [], ['SET', 'd', new Uint16Array(2)], ['STRLEN', 'd'], ['GET', 'c']]);
    expect(mixed.map((r) => (r instanceof ReplyError ? r.message : r))).toEqual([
      'OK',
      'ERR empty command',
      'OK',
      4,
      Buffer.from('3'),
    ]);
  });

  it('execRaw returns the RESP2 bytes', () => {
    const ks = new Keyspace({ instanceId: 1 });
    expect(ks.execRaw([['SET', 'a', 'xy'], ['GET', 'a'], ['GET', 'b'], ['DEL', 'a']]).toString()).toBe(
      '+OK\r\n$2\r\nxy\r\n$-1\r\n:1\r\n',
    );
  });

  it('execResp runs every complete request and leaves a partial one', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const input = Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGE');
    const { replies, consumed, protocolError } = ks.execResp(input);
    expect(replies.toString()).toBe('+OK\r\n$1\r\n1\r\n');
    expect(consumed).toBe(input.lastIndexOf('*2'));
    expect(protocolError).toBeUndefined();
    expect(ks.execResp(Buffer.from('*1\r\n+PING\r\n')).protocolError).toMatch(/Protocol error/);
  });

  it('execResp hands back the first command the keyspace does not run, with inline requests and RESP3', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const input = Buffer.from('SET a "x y"\r\nHSET h f 1\r\nPING\r\nGET a\r\n');
    const first = ks.execResp(input, { resp3: true });
    expect(first.replies.toString()).toBe('+OK\r\n:1\r\n');
    expect(first.handOver!.map(String)).toEqual(['PING']);
    const rest = ks.execResp(input.subarray(first.consumed), { resp3: true });
    expect(rest.replies.toString()).toBe('$3\r\nx y\r\n');
    expect(rest.handOver).toBeUndefined();
    expect(ks.execResp(Buffer.from('HGETALL h\r\nGET nope\r\n'), { resp3: true }).replies.toString()).toBe(
      '%1\r\n$1\r\nf\r\n$1\r\n1\r\n_\r\n',
    );
    const queued = ks.execResp(Buffer.from('GET a\r\nGET a\r\n'), { queueAll: true });
    expect(queued.replies.length).toBe(0);
    expect(queued.handOver!.map(String)).toEqual(['GET', 'a']);
    expect(ks.execResp(Buffer.from('SET "a b\r\n')).protocolError).toBe('Protocol error: unbalanced quotes in request');
  });

  it('execRespFast resumes an incomplete request where the last call left it', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const pairs = 3000;
    const parts = [`*${2 * pairs + 1}\r\n$4\r\nMSET\r\n`];
    for (let i = 0; i < pairs; i++) parts.push(`$${`k${i}`.length}\r\nk${i}\r\n$${`v${i}`.length}\r\nv${i}\r\n`);
    const request = Buffer.from(parts.join('') + '*2\r\n$3\r\nGET\r\n$5\r\nk2999\r\n');
    const progress = new Float64Array(2);
    let replies = '';
    let start = 0;
    let mostArgsChecked = 0;
    // The input grows by odd-sized reads, cut anywhere (inside headers and values too).
    for (let end = 7; start < request.length; end = Math.min(request.length, end + 997)) {
      const batch = ks.execRespFast(Buffer.from(request.subarray(start, end)), false, false, false, undefined, progress);
      replies += batch.replies.toString();
      start += batch.consumed;
      mostArgsChecked = Math.max(mostArgsChecked, progress[1]!);
      if (end === request.length) break;
    }
    expect(mostArgsChecked).toBeGreaterThan(2 * pairs - 100); // the MSET was read on from where it stopped
    expect(replies).toBe('+OK\r\n$5\r\nv2999\r\n');
    expect(ks.exec(['DBSIZE'])).toBe(pairs);
    expect(Array.from(progress)).toEqual([0, 0]);
  });

  it('activeExpire() reaches every key with a TTL, a budget at a time', () => {
    const ks = new Keyspace({ instanceId: 1, time: 1_000_000 });
    ks.execMany(Array.from({ length: 5000 }, (_, i) => ['SET', `k${i}`, 'v', 'PX', '10']));
    ks.execMany(Array.from({ length: 5000 }, (_, i) => ['SET', `p${i}`, 'v', 'PX', '1000000']));
    ks.setTime(1_000_100);
    let deleted = 0;
    for (let i = 0; i < 1000 && deleted < 5000; i++) deleted += ks.activeExpire(20);
    expect(deleted).toBe(5000);
    expect(ks.stats().keys).toBe(5000);
    expect(ks.stats().volatileKeys).toBe(5000);
  });

  it('drains effects once and converges two instances', () => {
    const a = new Keyspace({ instanceId: 1 });
    const b = new Keyspace({ instanceId: 2 });
    expect(a.drainEffects().length).toBe(0);
    a.exec(['SET', 'k', 'v']);
    const effects = a.drainEffects();
    expect(effects.length).toBeGreaterThan(0);
    expect(a.drainEffects().length).toBe(0);
    b.applyEffects(effects);
    b.applyEffects(effects);
    expect(b.exec(['GET', 'k'])).toEqual(Buffer.from('v'));
    expect(b.digest()).toBe(a.digest());
    expect(b.stats().vectorClock).toEqual({ '1': 1 });
  });

  it('restores from a snapshot and keeps numbering its own writes after it', () => {
    const a = new Keyspace({ instanceId: 1 });
    a.execMany([['SET', 'x', '1'], ['HSET', 'h', 'f', 'v'], ['INCR', 'c']]);
    const b = new Keyspace({ instanceId: 2 });
    b.applyEffects(a.drainEffects());
    const restored = Keyspace.fromSnapshot(a.snapshot(), { instanceId: 1 });
    expect(restored.digest()).toBe(a.digest());
    restored.exec(['SET', 'x', '2']);
    b.applyEffects(restored.drainEffects());
    expect(b.exec(['GET', 'x'])).toEqual(Buffer.from('2'));
  });

  it('is a named export of the ES module entry too', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { Keyspace } from 'redis-active-active'; console.log(typeof Keyspace)"],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function');
  });

  it('memoryUsage() grows with the data it holds', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const empty = ks.memoryUsage();
    ks.execMany(Array.from({ length: 10_000 }, (_, i) => ['SET', `key:${i}`, 'value']));
    expect(ks.memoryUsage() - empty).toBeGreaterThan(10_000 * 100);
    expect(ks.memoryUsage() - empty).toBeLessThan(10_000 * 400);
  });

  it('close() frees the native data; later calls throw', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.exec(['SET', 'k', 'v']);
    ks.close();
    expect(() => ks.exec(['GET', 'k'])).toThrow('the keyspace is closed');
    expect(() => ks.digest()).toThrow('the keyspace is closed');
    ks.close();
  });

  it('validates its options', () => {
    expect(() => new Keyspace({ instanceId: 0 })).toThrow(/instanceId/);
    expect(() => new Keyspace({ instanceId: 70000 })).toThrow(/instanceId/);
    expect(() => new Keyspace({ instanceId: 1 }).setTime(5)).toThrow(/manual clock/);
  });
});
