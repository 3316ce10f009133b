import { describe, expect, it } from 'vitest';
import { tornTransactionChecker } from '../../../chaos/src/checkers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordsOf, sinkHistory, World, type SinkShape } from './world.js';

const EO: SinkShape = { sink: 'kafka', kind: 'kafka', exactlyOnce: true, isolation: 'read_committed' };

function world(): World {
  const w = new World();
  w.txn('ok', (t) => { t.insert('accounts', 1); t.insert('orders', 1); t.insert('accounts', 2); });
  w.txn('ok', (t) => t.update('accounts', 1));
  return w;
}

function check(w: World, records: readonly SinkRecord[], shape: SinkShape = EO) {
  return tornTransactionChecker.check({ source: w.history(), sinks: [sinkHistory(records, shape)], faults: [], facts: healthyFacts(['kafka']) });
}

describe('torn-transaction', () => {
  it('is valid when each source transaction lies within one Kafka transaction', () => {
    const w = world();
    expect(check(w, recordsOf(w.happened, EO))).toEqual([expect.objectContaining({ validity: 'valid', sink: 'kafka (read_committed)', counts: { sourceTxns: 2, torn: 0 } })]);
  });

  it('accepts several source transactions in one Kafka transaction', () => {
    const w = world();
    expect(check(w, recordsOf(w.happened, EO).map((r) => ({ ...r, sinkTxn: 7 })))[0]!.validity).toBe('valid');
  });

  it('catches a source transaction split across Kafka transactions', () => {
    const w = world();
    const records = recordsOf(w.happened, EO).map((r, i) => (i === 2 ? { ...r, sinkTxn: 50 } : r));
    const [v] = check(w, records);
    expect(v!.validity).toBe('invalid');
    expect(v!.examples[0]).toMatchObject({ sourceTxn: 1, versions: 3, sinkTxns: [{ sinkTxn: 0, versions: 2 }, { sinkTxn: 50, versions: 1 }] });
  });

  it('catches a partly visible source transaction', () => {
    const w = world();
    const [v] = check(w, recordsOf(w.happened, EO).filter((r) => r.table !== 'orders'));
    expect(v!.examples[0]).toMatchObject({ sourceTxn: 1, missingFromSome: ['orders {"id":1} v1c'] });
  });

  it('is not fooled by a whole second copy (a duplicate, not a tear)', () => {
    const w = world();
    const once = recordsOf(w.happened, EO);
    const again = recordsOf(w.happened.slice(0, 1), EO, 10);
    expect(check(w, [...once, ...again])[0]!.validity).toBe('valid');
  });

  it('counts only the tables the sink receives', () => {
    const w = world();
    const facts = healthyFacts(['kafka']);
    const routed = { ...facts, sinks: { kafka: { ...facts.sinks.kafka!, tables: ['accounts'] } } };
    const records = recordsOf(w.happened, EO).filter((r) => r.table === 'accounts');
    expect(tornTransactionChecker.check({ source: w.history(), sinks: [sinkHistory(records, EO)], faults: [], facts: routed })[0]!.validity).toBe('valid');
  });

  it('attributes a delete two indeterminate transactions both wrote to the one the sink shows whole', () => {
    const w = new World();
    w.txn('ok', (t) => { t.insert('accounts', 1); t.insert('orders', 1); });
    // Lost COMMIT: did not happen. The retry deletes the same row version: same identity.
    w.txn('info', (t) => { t.delete('accounts', 1); t.update('orders', 1); }, { happened: false });
    w.txn('info', (t) => t.delete('accounts', 1));
    const [v] = check(w, recordsOf(w.happened, EO));
    expect(v).toMatchObject({ validity: 'valid', counts: { sourceTxns: 2 } });
  });

  it('keeps the records of one sink transaction together when several of its deletes are ambiguous', () => {
    const w = new World();
    w.txn('ok', (t) => { t.insert('accounts', 1); t.insert('accounts', 2); t.insert('orders', 9); });
    // Three lost COMMITs; only the last took effect. Each earlier one shares one delete with it.
    w.txn('info', (t) => { t.delete('accounts', 2); t.update('orders', 9); }, { happened: false });
    w.txn('info', (t) => t.delete('accounts', 1), { happened: false });
    w.txn('info', (t) => { t.delete('accounts', 1); t.delete('accounts', 2); });
    const [v] = check(w, recordsOf(w.happened, EO));
    expect(v).toMatchObject({ validity: 'valid', counts: { sourceTxns: 2, torn: 0 } });
  });

  it('is unknown when the reader gives no Kafka transaction index', () => {
    const w = world();
    const [v] = check(w, recordsOf(w.happened, EO).map((r) => ({ ...r, sinkTxn: null })));
    expect(v).toMatchObject({ validity: 'unknown', counts: { withoutSinkTxn: 4 } });
  });

  it('applies only to exactly-once Kafka read with read_committed', () => {
    const w = world();
    const torn = recordsOf(w.happened, EO).filter((r) => r.table !== 'orders');
    expect(check(w, torn, { ...EO, isolation: 'read_uncommitted' })).toEqual([expect.objectContaining({ validity: 'valid', counts: { applicable: 0 } })]);
    expect(check(w, torn, { sink: 'redis', kind: 'redis', exactlyOnce: true })[0]!.summary).toMatch(/not applicable/);
  });
});
