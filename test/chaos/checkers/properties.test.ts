/**
 * Properties over generated histories: a correct delivery (whole transactions in order, with
 * retried batches and replayed suffixes on at-least-once sinks) satisfies every checker, and
 * each specific corruption makes exactly the checker responsible for it invalid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKER_NAMES, createCheckers, type CheckerName } from '../../../chaos/src/checkers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { deliver, planArb, shapeArb, worldArb, type DeliveryPlan } from './delivery-model.js';
import { healthyFacts, sinkHistory, World } from './world.js';

const RUNS = Number(process.env.TIDEMARK_PROPERTY_RUNS ?? 300);
const all = createCheckers(CHECKER_NAMES);

function invalidCheckers(w: World, records: readonly SinkRecord[], plan: DeliveryPlan): CheckerName[] {
  const h = sinkHistory(records, plan.shape);
  const verdicts = all.check({ source: w.history(), sinks: [h], faults: [], facts: healthyFacts([h.sink]) });
  const unknown = verdicts.filter((v) => v.validity === 'unknown');
  expect(unknown).toEqual([]);
  return [...new Set(verdicts.filter((v) => v.validity === 'invalid').map((v) => v.checker as CheckerName))].sort();
}

const identity = (r: SinkRecord) => `${r.table}|${r.key}|${r.op}|${r.version}`;
const eoKafka = (plan: DeliveryPlan) => plan.shape.kind === 'kafka' && plan.shape.exactlyOnce === true;

describe('checker properties', () => {
  it('a correct delivery is valid for every checker', () => {
    fc.assert(
      fc.property(worldArb, planArb(), (w, plan) => {
        expect(invalidCheckers(w, deliver(w.happened, plan), plan)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('dropping an acknowledged version is lost (and torn, inside a multi-row exactly-once transaction)', () => {
    fc.assert(
      fc.property(worldArb, planArb(), fc.nat(), (w, plan, pick) => {
        const records = deliver(w.happened, plan);
        const okTxns = new Set(w.history().txns.filter((t) => t.outcome === 'ok' || t.resolution === 'committed').map((t) => String(t.id)));
        const candidates = records.filter((r) => okTxns.has(r.txId!));
        fc.pre(candidates.length > 0);
        const victim = candidates[pick % candidates.length]!;
        const txnSize = w.history().txns.find((t) => String(t.id) === victim.txId)!.versions.length;
        const expected: CheckerName[] = eoKafka(plan) && txnSize > 1 ? ['lost', 'torn-transaction'] : ['lost'];
        expect(invalidCheckers(w, records.filter((r) => identity(r) !== identity(victim)), plan)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('a copy with another idempotency key is duplicated, and nothing else', () => {
    fc.assert(
      fc.property(worldArb, planArb(), fc.nat(), (w, plan, pick) => {
        const records = deliver(w.happened, plan);
        fc.pre(records.length > 0);
        const i = pick % records.length;
        const copy = { ...records[i]!, idempotencyKey: `${records[i]!.idempotencyKey}#copy` };
        expect(invalidCheckers(w, [...records.slice(0, i + 1), copy, ...records.slice(i + 1)], plan)).toEqual(['duplicated']);
      }),
      { numRuns: RUNS },
    );
  });

  it('swapping two versions of a key is reordered, and nothing else', () => {
    fc.assert(
      fc.property(worldArb, planArb(), fc.nat(), (w, plan, pick) => {
        const records = deliver(w.happened, plan);
        const pairs = swappablePairs(records);
        fc.pre(pairs.length > 0);
        const [i, j] = pairs[pick % pairs.length]!;
        const swapped = [...records];
        swapped[i] = { ...records[j]!, seq: records[i]!.seq, position: records[i]!.position, sinkTxn: records[i]!.sinkTxn };
        swapped[j] = { ...records[i]!, seq: records[j]!.seq, position: records[j]!.position, sinkTxn: records[j]!.sinkTxn };
        expect(invalidCheckers(w, swapped, plan)).toEqual(['reordered']);
      }),
      { numRuns: RUNS },
    );
  });

  it('altering an image is phantom, and nothing else', () => {
    fc.assert(
      fc.property(worldArb, planArb(), fc.nat(), (w, plan, pick) => {
        const records = deliver(w.happened, plan);
        fc.pre(records.length > 0);
        const victim = identity(records[pick % records.length]!);
        const altered = records.map((r) => {
          if (identity(r) !== victim) return r;
          return r.op === 'd' ? { ...r, before: { ...r.before!, note: 'altered' } } : { ...r, after: { ...r.after!, amount: '0.01' } };
        });
        expect(invalidCheckers(w, altered, plan)).toEqual(['phantom']);
      }),
      { numRuns: RUNS },
    );
  });

  it('splitting a source transaction across Kafka transactions is torn, and nothing else', () => {
    const eoPlan = planArb(shapeArb.filter((s) => s.kind === 'kafka' && s.exactlyOnce === true));
    fc.assert(
      fc.property(worldArb, eoPlan, fc.nat(), (w, plan, pick) => {
        const records = deliver(w.happened, plan);
        const candidates = records.map((_, i) => i).filter((i) => records[i]!.txIndex! > 0);
        fc.pre(candidates.length > 0);
        const i = candidates[pick % candidates.length]!;
        const split = records.map((r, k) => (k === i ? { ...r, sinkTxn: 1_000_000 } : r));
        expect(invalidCheckers(w, split, plan)).toEqual(['torn-transaction']);
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * Index pairs (i < j) of first deliveries of two versions of one key in one stream (and one
 * Kafka transaction, so that moving them tears nothing).
 */
function swappablePairs(records: readonly SinkRecord[]): [number, number][] {
  const seen = new Set<string>();
  const firstByKey = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (seen.has(identity(r))) return;
    seen.add(identity(r));
    const k = `${r.stream}|${r.table}|${r.key}`;
    firstByKey.set(k, [...(firstByKey.get(k) ?? []), i]);
  });
  const pairs: [number, number][] = [];
  for (const idx of firstByKey.values()) {
    for (let a = 0; a + 1 < idx.length; a++) {
      const [i, j] = [idx[a]!, idx[a + 1]!];
      if (records[i]!.sinkTxn === records[j]!.sinkTxn) pairs.push([i, j]);
    }
  }
  return pairs;
}
