import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlushTracker, type FlushPolicy } from '../../../../engine/src/sources/postgres/stream/flush-tracker.js';
import { onReceiveFlush } from '../../../../engine/src/testing/on-receive-flush.js';
import { anchorPosition, comparePgPositions, flushLsnOf, isCovered, positionKey, type PgPosition } from '../../../../engine/src/sources/postgres/position.js';
import { rowPosition } from '../../../../engine/src/sources/postgres/snapshot/snapshot-phase.js';

const key = (p: PgPosition) => positionKey(p);

describe('positions', () => {
  const anchor = anchorPosition(0x100n, 0);
  const row1 = rowPosition(anchor, 'public', 1, 1);
  const row2 = rowPosition(anchor, 'public', 1, 2);
  const retry = rowPosition(anchor, 'public', 2, 1);
  const sameLsnTx: PgPosition = { lsn: '0/100', xid: 5, i: 0 };
  const later: PgPosition = { lsn: '0/200', xid: 6, i: 3, end: '0/230' };
  const recreated = anchorPosition(0x10n, 1);

  it('orders anchor < snapshot rows (by epoch, then row) < the stream from the anchor < a newer slot generation', () => {
    const sorted = [anchor, row1, row2, retry, sameLsnTx, later, recreated];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(comparePgPositions)).toEqual(sorted);
  });

  it('is a total order (property)', () => {
    const position = fc.record({ g: fc.nat(2), lsn: fc.bigInt({ min: 0n, max: 0x400n }), i: fc.integer({ min: -1, max: 3 }), se: fc.nat(2), sn: fc.nat(3) }).map(
      (r): PgPosition => ({ lsn: `0/${r.lsn.toString(16).toUpperCase()}`, xid: null, i: r.i, ...(r.g ? { g: r.g } : {}), ...(r.se ? { se: r.se, sn: r.sn } : {}) }),
    );
    fc.assert(
      fc.property(position, position, position, (a, b, c) => {
        // `+ 0` turns -0 into 0: equal positions give sign 0 both ways, and toBe tells -0 from 0.
        expect(Math.sign(comparePgPositions(a, b)) + 0).toBe(-Math.sign(comparePgPositions(b, a)) + 0);
        if (comparePgPositions(a, b) <= 0 && comparePgPositions(b, c) <= 0) expect(comparePgPositions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('lets the slot forget a transaction only once it is covered whole', () => {
    expect(flushLsnOf(key(later))).toBe(0x230n);
    expect(flushLsnOf(key({ lsn: '0/200', xid: 6, i: 1 }))).toBe(0x200n);
    expect(flushLsnOf(key(row2))).toBe(0x100n);
    expect(isCovered(key(later), 0x200n, 3)).toBe(true);
    expect(isCovered(key({ lsn: '0/200', xid: 6, i: 1 }), 0x200n, 2)).toBe(false);
    expect(isCovered(key(later), 0x1ffn, 99)).toBe(true);
  });

  it('rejects positions another source wrote', () => {
    expect(() => positionKey({ offset: 3 })).toThrow(/not a Postgres source position/);
  });
});

describe('flush tracker', () => {
  const at = (lsn: number, i: number, end?: number): PgPosition => ({ lsn: `0/${lsn.toString(16)}`, xid: 1, i, ...(end ? { end: `0/${end.toString(16)}` } : {}) });

  it('reports only what the checkpoint covers while emitted events are unacknowledged', () => {
    const t = new FlushTracker(0x10n);
    expect(t.flushLsn(key(at(0x100, 0)), 0x900n)).toBe(0x10n);
    t.acknowledge(key(at(0x100, 4, 0x130)));
    expect(t.flushLsn(key(at(0x200, 1)), 0x900n)).toBe(0x130n);
    // Acknowledgements never move it back.
    t.acknowledge(key(at(0x50, 0, 0x60)));
    expect(t.flushLsn(key(at(0x200, 1)), 0x900n)).toBe(0x130n);
  });

  it('confirms the stream boundary only when every emitted event is acknowledged', () => {
    const t = new FlushTracker(0x10n);
    expect(t.flushLsn(null, 0x500n)).toBe(0x500n);
    t.acknowledge(key(at(0x600, 2, 0x640)));
    expect(t.flushLsn(key(at(0x600, 2, 0x640)), 0x900n)).toBe(0x900n);
  });

  it('the test-only on-receive policy reports the last LSN received whatever was acknowledged (the library hazard)', () => {
    const t = onReceiveFlush(0x10n);
    t.received(0x777n);
    expect(t.flushLsn(key(at(0x700, 0)), 0n)).toBe(0x777n);
    expect([t.onData!(0x800n, 'insert'), t.onData!(0x810n, 'commit')]).toEqual([false, true]);
    expect(t.flushLsn(key(at(0x700, 0)), 0n)).toBe(0x810n);
    // The engine's own policy has no such hook: data arriving confirms nothing.
    const engineFlush: FlushPolicy = new FlushTracker(0x10n);
    expect(engineFlush.onData).toBeUndefined();
  });

  it('never lets the slot forget an unacknowledged event, and never moves back (property)', () => {
    // A stream in LSN order: transactions (one event each, commit 2c, end 2c+1) and keepalives.
    const step = fc.oneof(fc.constant('emit' as const), fc.constant('keepalive' as const), fc.nat(5));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const t = new FlushTracker(0n);
        const emitted: number[] = [];
        let acked = 0;
        let cursor = 1;
        let boundary = 0n;
        let reported = 0n;
        for (const s of steps) {
          cursor++;
          if (s === 'emit') emitted.push(2 * cursor);
          else if (s === 'keepalive') boundary = BigInt(2 * cursor);
          else {
            acked = Math.min(emitted.length, acked + s);
            if (acked > 0) t.acknowledge(key(at(emitted[acked - 1]!, 0, emitted[acked - 1]! + 1)));
          }
          const newest = emitted.length ? emitted[emitted.length - 1]! : 0;
          const flush = t.flushLsn(newest ? key(at(newest, 0, newest + 1)) : null, boundary);
          expect(flush).toBeGreaterThanOrEqual(reported);
          reported = flush;
          const oldestUnacked = emitted[acked];
          if (oldestUnacked !== undefined) expect(flush).toBeLessThanOrEqual(BigInt(oldestUnacked));
        }
      }),
      { numRuns: 500 },
    );
  });
});
