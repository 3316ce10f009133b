import { describe, expect, it } from 'vitest';
import { duplicatedChecker } from '../../../chaos/src/checkers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordsOf, resequence, sinkHistory, World, type SinkShape } from './world.js';

function delivered(): { w: World; records: SinkRecord[] } {
  const w = new World();
  w.txn('ok', (t) => { t.insert('accounts', 1); t.insert('accounts', 2); });
  w.txn('ok', (t) => t.update('accounts', 1));
  return { w, records: recordsOf(w.happened) };
}

function check(w: World, records: readonly SinkRecord[], shape: SinkShape = {}) {
  const h = sinkHistory(resequence(records), shape);
  return duplicatedChecker.check({ source: w.history(), sinks: [h], faults: [], facts: healthyFacts([h.sink]) })[0]!;
}

describe('duplicated', () => {
  it('is valid without duplicates', () => {
    const { w, records } = delivered();
    expect(check(w, records)).toMatchObject({ validity: 'valid', summary: 'no duplicates', counts: { duplicates: 0, distinct: 3 } });
  });

  it('accepts exact replays on an at-least-once sink and reports their count', () => {
    const { w, records } = delivered();
    const v = check(w, [...records, ...records.slice(1)]);
    expect(v).toMatchObject({ validity: 'valid', counts: { duplicates: 2, exactReplays: 2, divergent: 0 } });
    expect(v.summary).toContain('2 duplicates, all exact replays');
  });

  it('rejects any duplicate on an exactly-once sink', () => {
    const { w, records } = delivered();
    const v = check(w, [...records, records[0]!], { kind: 'kafka', exactlyOnce: true, isolation: 'read_committed' });
    expect(v.validity).toBe('invalid');
    expect(v.sink).toBe('kafka (read_committed)');
    expect(v.examples[0]).toMatchObject({ problem: 'duplicate on an exactly-once sink', table: 'accounts', version: 1, positions: ['accounts@0', 'accounts@3'] });
  });

  it('judges a read_uncommitted read of an exactly-once sink as at-least-once (aborted batches show there)', () => {
    const { w, records } = delivered();
    expect(check(w, [...records, records[0]!], { kind: 'kafka', exactlyOnce: true, isolation: 'read_uncommitted' }).validity).toBe('valid');
  });

  it('rejects a copy with another idempotency key', () => {
    const { w, records } = delivered();
    const v = check(w, [...records, { ...records[2]!, idempotencyKey: 'acme|shop.accounts|99|0' }]);
    expect(v).toMatchObject({ validity: 'invalid', counts: { divergent: 1 } });
    expect(v.examples[0]).toMatchObject({ problem: 'duplicate with another idempotency key', idempotencyKeys: ['acme|shop.accounts|2|0', 'acme|shop.accounts|99|0'] });
  });

  it('rejects a copy without an idempotency key (dedup cannot remove it)', () => {
    const { w, records } = delivered();
    expect(check(w, [...records, { ...records[2]!, idempotencyKey: null }]).validity).toBe('invalid');
  });

  it('rejects a copy with the same key but other content', () => {
    const { w, records } = delivered();
    const r = records[2]!;
    const v = check(w, [...records, { ...r, after: { ...r.after!, note: 'tampered' } }]);
    expect(v.examples[0]).toMatchObject({ problem: 'duplicate with other content' });
  });

  it('accepts a replay whose images differ only in encoding', () => {
    const { w, records } = delivered();
    const r = records[2]!;
    expect(check(w, [...records, { ...r, after: { ...r.after!, amount: 2.5, version: '2' } }]).validity).toBe('valid');
  });

  it('rejects one idempotency key on two different versions (dedup would drop a real change)', () => {
    const { w, records } = delivered();
    const v = check(w, [records[0]!, { ...records[1]!, idempotencyKey: records[0]!.idempotencyKey }, records[2]!]);
    expect(v).toMatchObject({ validity: 'invalid', counts: { keyCollisions: 1, duplicates: 0 } });
  });
});
