import { describe, expect, it } from 'vitest';
import { createCheckers, type DlqFacts } from '../../../chaos/src/checkers/index.js';
import type { SinkRecord, SourceHistory } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordsOf, resequence, sinkHistory, World } from './world.js';

/** Six inserts; ids 2 and 5 are poison for kafka (the sink must refuse them). */
function world(): { w: World; source: SourceHistory } {
  const w = new World();
  for (let id = 1; id <= 6; id++) w.txn('ok', (t) => t.insert('accounts', id));
  const h = w.history();
  const source = { ...h, txns: h.txns.map((t) => ({ ...t, versions: t.versions.map((v) => ((v.after as { id: number }).id % 3 === 2 ? { ...v, poisonFor: ['kafka'] } : v)) })) };
  return { w, source };
}

const poison = (r: SinkRecord) => (r.after as { id: number }).id % 3 === 2;
const asDlq = (records: SinkRecord[]) => records.map((r) => ({ ...r, stream: 'dlq:kafka', dlq: { sink: 'kafka', errorKind: 'too_large', errorCode: 'TIDEMARK_ERR_SINK_TOO_LARGE' } }));

function check(source: SourceHistory, kafka: SinkRecord[], dlq: SinkRecord[], bound?: Partial<DlqFacts>) {
  const facts = { ...healthyFacts(['kafka']), ...(bound ? { dlq: { policy: 'drop_oldest' as const, maxEntries: 1, evicted: 0, rejected: 0, acked: 0, ...bound } } : {}) };
  return createCheckers(['lost', 'phantom', 'dlq']).check({ source, sinks: [sinkHistory(resequence(kafka), { sink: 'kafka', kind: 'kafka' }), sinkHistory(resequence(asDlq(dlq)), { sink: 'dlq', kind: 'dlq' })], faults: [], facts });
}

describe('dlq', () => {
  it('is valid when the sink holds the good versions and the DLQ exactly the poison ones; lost counts the DLQ', () => {
    const { w, source } = world();
    const all = recordsOf(w.happened);
    const verdicts = check(source, all.filter((r) => !poison(r)), all.filter(poison));
    expect(verdicts.filter((v) => v.validity !== 'valid')).toEqual([]);
    expect(verdicts.find((v) => v.checker === 'lost')!.counts).toMatchObject({ expected: 6, inDlq: 2, missing: 0 });
    expect(verdicts.find((v) => v.checker === 'dlq')!.counts).toMatchObject({ poison: 2, inDlq: 2, wronglyDead: 0 });
  });

  it('catches a poison version missing from the DLQ, one the sink delivered, and a good one dead-lettered', () => {
    const { w, source } = world();
    const all = recordsOf(w.happened);
    const missing = check(source, all.filter((r) => !poison(r)), all.filter(poison).slice(1));
    expect(missing.find((v) => v.checker === 'dlq')).toMatchObject({ validity: 'invalid', counts: { inDlq: 1 } });
    expect(missing.find((v) => v.checker === 'lost')).toMatchObject({ validity: 'invalid', counts: { missing: 1 } });
    expect(check(source, all, all.filter(poison)).find((v) => v.checker === 'dlq')!.examples[0]).toMatchObject({ problem: 'poison version delivered by the sink' });
    expect(check(source, all.filter((r) => !poison(r)), all).find((v) => v.checker === 'dlq')).toMatchObject({ validity: 'invalid', counts: { wronglyDead: 4 } });
  });

  it('tolerates poison a bounded DLQ dropped, up to what the engine counted', () => {
    const { w, source } = world();
    const all = recordsOf(w.happened);
    const kafka = all.filter((r) => !poison(r));
    const held = all.filter(poison).slice(1);
    expect(check(source, kafka, held, { evicted: 1 }).filter((v) => v.validity !== 'valid')).toEqual([]);
    expect(check(source, kafka, [], { evicted: 1 }).find((v) => v.checker === 'dlq')!.validity).toBe('invalid');
  });

  it('is unknown without a DLQ history', () => {
    const { w, source } = world();
    const v = createCheckers(['dlq']).check({ source, sinks: [sinkHistory(recordsOf(w.happened), { sink: 'kafka', kind: 'kafka' })], faults: [], facts: healthyFacts(['kafka']) });
    expect(v[0]).toMatchObject({ validity: 'unknown' });
  });
});
