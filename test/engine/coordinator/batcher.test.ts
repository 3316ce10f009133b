import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../engine/src/coordinator/batcher.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import { buildLog, txArb } from '../../support/transactions.js';

function run(log: ChangeEvent[], limits: { maxEvents: number; maxBytes: number; respectSourceTx: boolean }, timerEvery = 0) {
  const batches: ChangeEvent[][] = [];
  const b = new Batcher(limits, ({ events }) => batches.push(events));
  log.forEach((e, i) => {
    b.add(e);
    if (timerEvery > 0 && i % timerEvery === timerEvery - 1) b.sealOnTimer();
  });
  const leftover = b.openEvents;
  const dropped = b.flushComplete();
  return { batches, leftover, dropped };
}

const offsets = (events: ChangeEvent[]) => events.map((e) => (e.source.position as { offset: number }).offset);

describe('Batcher', () => {
  it('seals at max_events on a transaction boundary', () => {
    const log = buildLog([{ events: [{ key: 1, table: 't1', size: 1 }, { key: 2, table: 't1', size: 1 }] }, { events: [{ key: 3, table: 't1', size: 1 }, { key: 4, table: 't1', size: 1 }] }]);
    const { batches } = run(log, { maxEvents: 2, maxBytes: 1e9, respectSourceTx: true });
    expect(batches.map(offsets)).toEqual([[0, 1], [2, 3]]);
  });

  it('carries a partial transaction into the next batch instead of splitting it', () => {
    const log = buildLog([{ events: [{ key: 1, table: 't1', size: 1 }] }, { events: [1, 2, 3].map((key) => ({ key, table: 't1', size: 1 })) }]);
    const { batches } = run(log, { maxEvents: 2, maxBytes: 1e9, respectSourceTx: true });
    // [tx0] sealed when the limit is hit inside tx1; tx1 (3 events) exceeds the limit as one batch.
    expect(batches.map(offsets)).toEqual([[0], [1, 2, 3]]);
  });

  it('splits at exactly max_events when respect_source_tx is off', () => {
    const log = buildLog([{ events: [1, 2, 3].map((key) => ({ key, table: 't1', size: 1 })) }]);
    const { batches } = run(log, { maxEvents: 2, maxBytes: 1e9, respectSourceTx: false });
    expect(batches.map(offsets)).toEqual([[0, 1], [2]]);
  });

  it('seals on max_bytes', () => {
    const log = buildLog([{ events: [{ key: 1, table: 't1', size: 60 }] }, { events: [{ key: 2, table: 't1', size: 60 }] }, { events: [{ key: 3, table: 't1', size: 10 }] }]);
    const { batches } = run(log, { maxEvents: 100, maxBytes: 100, respectSourceTx: true });
    expect(batches.map(offsets)).toEqual([[0, 1], [2]]);
  });

  it('timer seals only complete transactions and drops a trailing partial one on flush', () => {
    const log = buildLog([{ events: [{ key: 1, table: 't1', size: 1 }] }, { events: [{ key: 2, table: 't1', size: 1 }, { key: 3, table: 't1', size: 1 }] }]).slice(0, 2);
    const batches: ChangeEvent[][] = [];
    const b = new Batcher({ maxEvents: 100, maxBytes: 1e9, respectSourceTx: true }, ({ events }) => batches.push(events));
    log.forEach((e) => b.add(e));
    expect(b.sealOnTimer()).toBe(true); // the half transaction stays open
    expect(batches.map(offsets)).toEqual([[0]]);
    expect(b.flushComplete()).toBe(1);
  });

  it('property: batches are the log in order, whole transactions, within limits unless one transaction is bigger', () => {
    fc.assert(
      fc.property(
        fc.array(txArb(8), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 9 }),
        (txs, maxEvents, maxBytes, respectSourceTx, timerEvery) => {
          const log = buildLog(txs);
          const { batches, dropped } = run(log, { maxEvents, maxBytes, respectSourceTx }, timerEvery);
          const flat = batches.flat();
          // Nothing lost, duplicated or reordered (a dropped tail is a partial transaction).
          expect(offsets(flat)).toEqual(offsets(log.slice(0, log.length - dropped)));
          if (respectSourceTx) expect(dropped).toBe(0); // the log ends on a tx end
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            const txIds = new Set(batch.map((e) => e.tx.id));
            const bytes = batch.reduce((s, e) => s + e.size, 0);
            if (respectSourceTx) {
              expect(batch[0]!.tx.index).toBe(0);
              expect(batch[batch.length - 1]!.tx.end).toBe(true);
              if (batch.length > maxEvents || bytes - batch[batch.length - 1]!.size >= maxBytes) expect(txIds.size).toBe(1);
            } else {
              expect(batch.length).toBeLessThanOrEqual(maxEvents);
              expect(bytes - batch[batch.length - 1]!.size).toBeLessThan(maxBytes);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
