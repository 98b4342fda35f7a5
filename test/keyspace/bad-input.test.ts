import { describe, expect, it } from 'vitest';
import { Keyspace, ReplyError } from '../../lib/index';

function populated(instanceId = 1): Keyspace {
  const ks = new Keyspace({ instanceId });
  ks.execMany([
    ['SET', 's', 'value'],
    ['INCRBY', 'c', '42'],
    ['HSET', 'h', 'f1', 'a', 'f2', 'b'],
    ['HINCRBYFLOAT', 'h', 'n', '1.5'],
    ['SADD', 'set', 'x', 'y', 'z'],
    ['EXPIRE', 's', '1000'],
  ]);
  return ks;
}

function errorOf(ks: Keyspace, argv: (string | Buffer)[]): string {
  try {
    ks.exec(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(ReplyError);
    return (e as Error).message;
  }
  throw new Error(`expected an error from ${argv.join(' ')}`);
}

describe('bad commands get Redis errors and change nothing', () => {
  it('wrong arity, unknown commands, wrong types, bad numbers', () => {
    const ks = populated();
    const before = ks.digest();
    expect(errorOf(ks, ['SET', 'k'])).toBe("ERR wrong number of arguments for 'set' command");
    expect(errorOf(ks, ['HSET', 'h', 'f'])).toBe("ERR wrong number of arguments for 'hset' command");
    expect(errorOf(ks, ['NOPE', 'a'])).toBe("ERR unknown command 'NOPE', with args beginning with: 'a' ");
    expect(errorOf(ks, ['INCR', 'set'])).toMatch(/^WRONGTYPE/);
    expect(errorOf(ks, ['INCR', 's'])).toBe('ERR value is not an integer or out of range');
    expect(errorOf(ks, ['INCRBY', 'c', '1x'])).toBe('ERR value is not an integer or out of range');
    expect(errorOf(ks, ['INCRBYFLOAT', 'c', 'abc'])).toBe('ERR value is not a valid float');
    expect(errorOf(ks, ['SET', 'k', 'v', 'EX', '0'])).toBe("ERR invalid expire time in 'set' command");
    expect(errorOf(ks, ['SET', 'k', 'v', 'NX', 'XX'])).toBe('ERR syntax error');
    expect(errorOf(ks, ['EXPIRE', 'c', '10', 'NX', 'XX'])).toMatch(/not compatible/);
    expect(errorOf(ks, ['SETRANGE', 'k', '-1', 'x'])).toBe('ERR offset is out of range');
    expect(errorOf(ks, ['SETRANGE', 'k', String(512 * 1024 * 1024), 'x'])).toMatch(/maximum allowed size/);
    expect(errorOf(ks, ['SETRANGE', 'k', '9223372036854775807', 'a'])).toMatch(/maximum allowed size/);
    expect(ks.digest()).toBe(before);
  });

  it('overflow: INCR past int64, INCRBYFLOAT to infinity', () => {
    const ks = new Keyspace({ instanceId: 1 });
    ks.exec(['SET', 'n', '9223372036854775806']);
    expect(ks.exec(['INCR', 'n'])).toBe(9223372036854775807n);
    expect(errorOf(ks, ['INCR', 'n'])).toBe('ERR increment or decrement would overflow');
    expect(errorOf(ks, ['DECRBY', 'n', '-9223372036854775808'])).toBe('ERR decrement would overflow');
    ks.exec(['SET', 'f', '1.5']);
    expect(errorOf(ks, ['INCRBYFLOAT', 'f', 'inf'])).toBe(
      'ERR increment would produce NaN or Infinity',
    );
    expect(ks.exec(['GET', 'n'])).toEqual(Buffer.from('9223372036854775807'));
  });

  it('counter headroom: concurrent increments past int64 stay exact and refuse further INCR', () => {
    const a = new Keyspace({ instanceId: 1 });
    const b = new Keyspace({ instanceId: 2 });
    a.exec(['INCRBY', 'n', '9223372036854775000']);
    b.exec(['INCRBY', 'n', '9223372036854775000']);
    const ea = a.drainEffects();
    a.applyEffects(b.drainEffects());
    b.applyEffects(ea);
    expect(a.exec(['GET', 'n'])).toEqual(Buffer.from('18446744073709550000'));
    expect(b.digest()).toBe(a.digest());
    expect(errorOf(a, ['INCR', 'n'])).toBe('ERR value is not an integer or out of range');
    expect(a.exec(['DEL', 'n'])).toBe(1);
    expect(a.exec(['INCR', 'n'])).toBe(1);
  });

  it('handles large values and many arguments', () => {
    const ks = new Keyspace({ instanceId: 1 });
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    ks.exec(['SET', 'big', big]);
    expect((ks.exec(['GET', 'big']) as Buffer).equals(big)).toBe(true);
    const members = Array.from({ length: 100_000 }, (_, i) => `m${i}`);
    expect(ks.exec(['SADD', 'many', ...members])).toBe(100_000);
    const other = new Keyspace({ instanceId: 2 });
    other.applyEffects(ks.drainEffects());
    expect(other.digest()).toBe(ks.digest());
  });

  it('rejects non-array commands and odd argument types with a TypeError', () => {
    const ks = new Keyspace({ instanceId: 1 });
    expect(() => ks.exec('GET k' as unknown as string[])).toThrow(TypeError);
    expect(() => ks.exec(['GET', {} as unknown as string])).toThrow(TypeError);
    expect(() => ks.applyEffects('x' as unknown as Buffer)).toThrow(TypeError);
  });
});

describe('corrupt effects and snapshots are refused whole', () => {
  const source = populated(1);
  const effects = source.drainEffects();
  const snapshot = source.snapshot();

  function expectRefused(target: Keyspace, buf: Buffer) {
    const before = target.digest();
    expect(() => target.applyEffects(buf)).toThrow(/invalid effects: /);
    expect(target.digest()).toBe(before);
  }

  it('every truncation of an effect batch and of a snapshot', () => {
    const target = populated(2);
    for (const whole of [effects, snapshot]) {
      for (let len = 1; len < whole.length; len++) expectRefused(target, whole.subarray(0, len));
    }
  });

  it('every single flipped byte', () => {
    const target = populated(2);
    for (const whole of [effects, snapshot]) {
      for (let i = 0; i < whole.length; i++) {
        const bad = Buffer.from(whole);
        bad[i] ^= 0x5a;
        expectRefused(target, bad);
      }
    }
  });

  it('random garbage, and a snapshot handed to fromSnapshot when it is not one', () => {
    const target = populated(2);
    for (let i = 0; i < 500; i++) {
      const len = 1 + Math.floor(Math.random() * 200);
      expectRefused(target, Buffer.from(Array.from({ length: len }, () => Math.floor(Math.random() * 256))));
    }
    expect(() => Keyspace.fromSnapshot(effects, { instanceId: 3 })).toThrow(/invalid snapshot/);
    expect(() => Keyspace.fromSnapshot(snapshot.subarray(0, 20), { instanceId: 3 })).toThrow(/invalid snapshot/);
  });

  it('an empty buffer (what drainEffects returns when idle) changes nothing', () => {
    const target = populated(2);
    const before = target.snapshot();
    target.applyEffects(Buffer.alloc(0));
    expect(target.snapshot().equals(before)).toBe(true);
  });

  it('the intact buffers still apply after all that', () => {
    const target = new Keyspace({ instanceId: 2 });
    target.applyEffects(effects);
    expect(target.digest()).toBe(source.digest());
    expect(Keyspace.fromSnapshot(snapshot, { instanceId: 3 }).digest()).toBe(source.digest());
  });
});
