// The replication backlog against a model that keeps the whole stream: whatever is appended,
// resized or reset, it holds exactly the newest bytes that fit, by Redis's offsets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ReplicationBacklog } from '../../lib/replication/backlog';
import { numRuns } from '../support/cluster';

class Model {
  stream: number[] = [];
  constructor(public capacity: number, public start: number) {}
  get master() { return this.start + this.stream.length; }
  get histlen() { return Math.min(this.stream.length, this.capacity); }
  get first() { return this.master - this.histlen + 1; }
  holds(offset: number) { return offset >= this.first && offset <= this.master + 1; }
  bytesFrom(offset: number) { return this.stream.slice(offset - this.start - 1); }
}

type Op =
  | { t: 'append'; bytes: Uint8Array }
  | { t: 'resize'; capacity: number }
  | { t: 'reset'; offset: number }
  | { t: 'read'; back: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('resize' as const), capacity: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reset' as const), offset: fc.integer({ min: 0, max: 1e6 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('read' as const), back: fc.integer({ min: -2, max: 70 }) }) },
);

describe('replication backlog', () => {
  it('holds the newest bytes by offset, like a model of the whole stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 1e9 }), fc.array(op, { maxLength: 60 }), (cap, start, ops) => {
        const b = new ReplicationBacklog(cap, start);
        let m = new Model(cap, start);
        for (const o of ops) {
          if (o.t === 'append') {
            expect(b.append(Buffer.from(o.bytes))).toBe(m.master + o.bytes.length);
            m.stream.push(...o.bytes);
          } else if (o.t === 'resize') {
            b.resize(o.capacity);
            // the newest bytes that fit stay, at their offsets
            const keep = Math.min(m.histlen, o.capacity);
            const master = m.master;
            m.stream = keep ? m.stream.slice(-keep) : [];
            m.start = master - keep;
            m.capacity = o.capacity;
          } else if (o.t === 'reset') {
            b.reset(o.offset);
            m = new Model(m.capacity, o.offset);
          } else {
            const offset = m.master + 1 - o.back;
            if (offset < 0) continue;
            expect(b.holds(offset)).toBe(m.holds(offset));
            if (m.holds(offset)) expect([...b.copy(offset)]).toEqual(m.bytesFrom(offset));
            else expect(() => b.read(offset)).toThrow(RangeError);
          }
          expect(b.state()).toEqual({ masterReplOffset: m.master, firstByteOffset: m.first, histlen: m.histlen, capacity: m.capacity });
        }
      }),
      { numRuns: numRuns(300) },
    );
  });

  it("uses Redis's offsets: the first byte after offset N is N + 1, a reader with nothing missing is served", () => {
    const b = new ReplicationBacklog(10, 100);
    expect(b.state()).toEqual({ masterReplOffset: 100, firstByteOffset: 101, histlen: 0, capacity: 10 });
    expect(b.holds(101)).toBe(true);
    expect(b.read(101)).toEqual([]);
    b.append(Buffer.from('abcdefghijkl')); // 12 bytes into 10: offsets 103..112 stay
    expect(b.state()).toMatchObject({ masterReplOffset: 112, firstByteOffset: 103, histlen: 10 });
    expect(b.holds(102)).toBe(false);
    expect(b.copy(103).toString()).toBe('cdefghijkl');
    expect(b.copy(110).toString()).toBe('jkl');
    b.append(Buffer.from('mn'));
    const views = b.read(105); // wraps around the ring: two views, no copy
    expect(views).toHaveLength(2);
    expect(Buffer.concat(views).toString()).toBe('efghijklmn');
  });

  it('a view kept past a resize reads old bytes, never freed memory', () => {
    const b = new ReplicationBacklog(8, 0);
    b.append(Buffer.from('12345678'));
    const [view] = b.read(1);
    b.resize(4);
    b.append(Buffer.from('ab'));
    expect(view.toString()).toBe('12345678');
    expect(b.copy(7).toString()).toBe('78ab');
  });

  it('refuses bad arguments with clear errors', () => {
    expect(() => new ReplicationBacklog(0)).toThrow(RangeError);
    expect(() => new ReplicationBacklog(-5)).toThrow(RangeError);
    expect(() => new ReplicationBacklog(1.5)).toThrow(RangeError);
    const b = new ReplicationBacklog(16);
    expect(() => b.append('text' as unknown as Buffer)).toThrow(TypeError);
    expect(() => b.read(5)).toThrow(/not held/);
    expect(() => b.holds(-1)).toThrow(RangeError);
    expect(() => b.reset(2 ** 60)).toThrow(RangeError);
  });
});
