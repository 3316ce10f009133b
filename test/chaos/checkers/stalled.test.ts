import { describe, expect, it } from 'vitest';
import { stalledChecker } from '../../../chaos/src/checkers/index.js';
import { healthyFacts, recordsOf, sinkHistory, World } from './world.js';

function world(): World {
  const w = new World();
  w.txn('ok', (t) => { t.insert('accounts', 1); t.insert('accounts', 2); });
  w.txn('ok', (t) => t.update('accounts', 1));
  return w;
}

describe('stalled', () => {
  it('is valid when the sink caught up before the deadline', () => {
    const w = world();
    const [v] = stalledChecker.check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [], facts: healthyFacts(['redis']) });
    expect(v).toMatchObject({ validity: 'valid', sink: 'redis', counts: { catchUpMs: 2000, deadlineMs: 30_000, lagMs: 150 } });
    expect(v!.summary).toBe('caught up 2.0 s after the last write or heal (deadline 30.0 s)');
  });

  it('names the final versions still missing and the lag when the sink never caught up', () => {
    const w = world();
    const facts = healthyFacts(['redis']);
    const stuck = { ...facts, sinks: { redis: { caughtUpAt: null, lagMs: 41_000 } } };
    const records = recordsOf(w.happened).slice(0, 2);
    const [v] = stalledChecker.check({ source: w.history(), sinks: [sinkHistory(records)], faults: [], facts: stuck });
    expect(v!.validity).toBe('invalid');
    expect(v!.summary).toBe('did not catch up within the 30.0 s deadline: still behind 5.0 s after the last write or heal, last lag 41.0 s; 1 of 2 final versions missing');
    expect(v!.examples).toEqual([expect.objectContaining({ problem: 'deadline missed', caughtUpAt: null }), expect.objectContaining({ key: '{"id":1}', version: 2, op: 'u' })]);
  });

  it('is invalid when the sink caught up only after the deadline', () => {
    const w = world();
    const facts = healthyFacts(['redis']);
    const late = { ...facts, sinks: { redis: { caughtUpAt: facts.catchUpFrom + 45_000 } } };
    const [v] = stalledChecker.check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [], facts: late });
    expect(v).toMatchObject({ validity: 'invalid', counts: { catchUpMs: 45_000, missingFinal: 0 } });
  });

  it('judges a Kafka sink once, on its read_committed read', () => {
    const w = world();
    const records = recordsOf(w.happened);
    const sinks = [sinkHistory([], { sink: 'kafka', kind: 'kafka', isolation: 'read_uncommitted' }), sinkHistory(records, { sink: 'kafka', kind: 'kafka', isolation: 'read_committed' })];
    const facts = { ...healthyFacts(['kafka']), sinks: { kafka: { caughtUpAt: null } } };
    const verdicts = stalledChecker.check({ source: w.history(), sinks, faults: [], facts });
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.counts.missingFinal).toBe(0);
  });

  it('is unknown without facts for a sink', () => {
    const w = world();
    const [v] = stalledChecker.check({ source: w.history(), sinks: [sinkHistory([], { sink: 'nats', kind: 'nats' })], faults: [], facts: healthyFacts([]) });
    expect(v).toMatchObject({ validity: 'unknown', summary: 'the run recorded no catch-up facts for sink "nats"' });
  });
});
