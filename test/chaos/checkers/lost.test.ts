import { describe, expect, it } from 'vitest';
import { lostChecker } from '../../../chaos/src/checkers/index.js';
import { healthyFacts, recordsOf, sinkHistory, World } from './world.js';

function world(): World {
  const w = new World();
  w.txn('ok', (t) => { t.insert('accounts', 1); t.insert('orders', 1); });
  w.txn('ok', (t) => t.update('accounts', 1));
  w.txn('ok', (t) => t.delete('accounts', 1));
  return w;
}

describe('lost', () => {
  it('is valid when every ok version arrived', () => {
    const w = world();
    const [v] = lostChecker.check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [], facts: healthyFacts(['redis']) });
    expect(v).toMatchObject({ checker: 'lost', sink: 'redis', validity: 'valid', counts: { expected: 4, delivered: 4, missing: 0 } });
  });

  it('names a missing version, with its source transaction', () => {
    const w = world();
    const records = recordsOf(w.happened).filter((r) => !(r.table === 'accounts' && r.op === 'u'));
    const [v] = lostChecker.check({ source: w.history(), sinks: [sinkHistory(records)], faults: [], facts: healthyFacts(['redis']) });
    expect(v!.validity).toBe('invalid');
    expect(v!.counts.missing).toBe(1);
    expect(v!.examples).toEqual([expect.objectContaining({ table: 'accounts', key: '{"id":1}', op: 'u', version: 2, sourceTxn: 2, outcome: 'ok' })]);
    expect(v!.summary).toBe('1 of 4 acknowledged versions never arrived');
  });

  it('distinguishes a delete from the write it removed (same version, other op)', () => {
    const w = world();
    const records = recordsOf(w.happened).filter((r) => r.op !== 'd');
    const [v] = lostChecker.check({ source: w.history(), sinks: [sinkHistory(records)], faults: [], facts: healthyFacts(['redis']) });
    expect(v!.examples).toEqual([expect.objectContaining({ op: 'd', version: 2 })]);
  });

  it('does not expect info or fail versions', () => {
    const w = world();
    w.txn('info', (t) => t.insert('accounts', 7), { happened: false });
    w.txn('fail', (t) => t.insert('accounts', 8));
    const [v] = lostChecker.check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [], facts: healthyFacts(['redis']) });
    expect(v!.validity).toBe('valid');
  });

  it('counts an info version that did arrive', () => {
    const w = world();
    w.txn('info', (t) => t.insert('accounts', 7));
    const [v] = lostChecker.check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [], facts: healthyFacts(['redis']) });
    expect(v).toMatchObject({ validity: 'valid', counts: { infoDelivered: 1 } });
  });

  it('expects an info version the workload resolved as committed by reading it back', () => {
    const w = world();
    w.txn('info', (t) => t.insert('accounts', 7), { resolution: 'committed', happened: true });
    const records = recordsOf(w.happened).filter((r) => r.key !== '{"id":7}');
    const [v] = lostChecker.check({ source: w.history(), sinks: [sinkHistory(records)], faults: [], facts: healthyFacts(['redis']) });
    expect(v!.validity).toBe('invalid');
    expect(v!.examples[0]).toMatchObject({ key: '{"id":7}', outcome: 'info', resolution: 'committed' });
  });

  it('judges only the tables the sink receives', () => {
    const w = world();
    const records = recordsOf(w.happened).filter((r) => r.table === 'orders');
    const facts = healthyFacts(['redis']);
    const routed = { ...facts, sinks: { redis: { ...facts.sinks.redis!, tables: ['orders'] } } };
    expect(lostChecker.check({ source: w.history(), sinks: [sinkHistory(records)], faults: [], facts: routed })[0]!.validity).toBe('valid');
    expect(lostChecker.check({ source: w.history(), sinks: [sinkHistory(records)], faults: [], facts })[0]!.validity).toBe('invalid');
  });

  it('gives one verdict per sink history, at most 10 examples, all counted', () => {
    const w = new World();
    for (let id = 1; id <= 25; id++) w.txn('ok', (t) => t.insert('accounts', id));
    const sinks = [sinkHistory(recordsOf(w.happened), { sink: 'nats', kind: 'nats' }), sinkHistory([], { sink: 'http', kind: 'http' })];
    const verdicts = lostChecker.check({ source: w.history(), sinks, faults: [], facts: healthyFacts(['nats', 'http']) });
    expect(verdicts.map((v) => [v.sink, v.validity])).toEqual([['nats', 'valid'], ['http', 'invalid']]);
    expect(verdicts[1]!.counts.missing).toBe(25);
    expect(verdicts[1]!.examples).toHaveLength(10);
  });
});
