/**
 * fast-check arbitraries for the properties: random workloads recorded into a World, and a
 * correct delivery of what took effect (whole transactions in batches, in order), optionally
 * with retried batches and replayed suffixes after crashes on at-least-once sinks.
 */
import fc from 'fast-check';
import type { SinkRecord, SourceTxn } from '../../../chaos/src/history/index.js';
import { recordOf, resequence, TABLES, World, type SinkShape } from './world.js';

interface OpSpec {
  readonly table: number;
  readonly id: number;
  readonly remove: boolean;
}
interface TxnSpec {
  readonly outcome: 'ok' | 'fail' | 'info-happened' | 'info-lost';
  readonly writer: number;
  readonly ops: readonly OpSpec[];
  /** For info: whether the workload resolved it by reading the keys back. */
  readonly resolved: boolean;
}

const opArb: fc.Arbitrary<OpSpec> = fc.record({ table: fc.integer({ min: 0, max: 1 }), id: fc.integer({ min: 1, max: 4 }), remove: fc.boolean() });
const txnArb: fc.Arbitrary<TxnSpec> = fc.record({
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'fail', 'info-happened', 'info-lost'),
  writer: fc.integer({ min: 1, max: 3 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 4 }),
  resolved: fc.boolean(),
});

/** A recorded workload: 3..25 transactions over 2 tables × 4 keys. */
export const worldArb: fc.Arbitrary<World> = fc.array(txnArb, { minLength: 3, maxLength: 25 }).map((specs) => {
  const w = new World();
  for (const spec of specs) {
    const outcome = spec.outcome.startsWith('info') ? 'info' : (spec.outcome as 'ok' | 'fail');
    w.txn(
      outcome,
      (t) => {
        for (const op of spec.ops) {
          const table = TABLES[op.table]!;
          if (!t.has(table, op.id)) t.insert(table, op.id);
          else if (op.remove) t.delete(table, op.id);
          else t.update(table, op.id);
        }
      },
      {
        writer: spec.writer,
        happened: spec.outcome !== 'info-lost',
        ...(outcome === 'info' && spec.resolved ? { resolution: spec.outcome === 'info-lost' ? ('rolled-back' as const) : ('committed' as const) } : {}),
      },
    );
  }
  return w;
});

export interface DeliveryPlan {
  readonly shape: SinkShape;
  readonly txnsPerBatch: number;
  /** Batches delivered twice in a row (a retry after a lost acknowledgement). */
  readonly retried: readonly number[];
  /** After batch `after`, a crash resumes `back` batches earlier (0: right after it). */
  readonly crashes: readonly { readonly after: number; readonly back: number }[];
}

export const shapeArb: fc.Arbitrary<SinkShape> = fc.constantFrom<SinkShape>(
  { sink: 'kafka', kind: 'kafka', exactlyOnce: true, isolation: 'read_committed' },
  { sink: 'kafka', kind: 'kafka', exactlyOnce: false, isolation: 'read_committed' },
  { sink: 'redis', kind: 'redis', exactlyOnce: false },
  { sink: 'nats', kind: 'nats', exactlyOnce: false },
);

export const planArb = (shape: fc.Arbitrary<SinkShape> = shapeArb): fc.Arbitrary<DeliveryPlan> =>
  fc.record({
    shape,
    txnsPerBatch: fc.integer({ min: 1, max: 4 }),
    retried: fc.array(fc.nat(12), { maxLength: 3 }),
    crashes: fc.array(fc.record({ after: fc.nat(12), back: fc.nat(4) }), { maxLength: 3 }),
  });

/** What a correct pipeline delivers of `happened` under `plan`. Exactly-once sinks never repeat. */
export function deliver(happened: readonly SourceTxn[], plan: DeliveryPlan): SinkRecord[] {
  const batches: SourceTxn[][] = [];
  for (let i = 0; i < happened.length; i += plan.txnsPerBatch) batches.push(happened.slice(i, i + plan.txnsPerBatch));
  const eo = plan.shape.exactlyOnce === true;
  const kafkaTxns = plan.shape.kind === 'kafka' && eo;
  const crashes = new Map(plan.crashes.map((c) => [c.after, c.back]));
  const out: SinkRecord[] = [];
  let sinkTxn = 0;
  const emit = (batch: readonly SourceTxn[]) => {
    const s = sinkTxn++;
    for (const txn of batch) txn.versions.forEach((v, index) => out.push(recordOf(txn, v, index, 0, kafkaTxns ? s : null)));
  };
  for (let i = 0; i < batches.length; i++) {
    emit(batches[i]!);
    if (eo) continue;
    if (plan.retried.includes(i)) emit(batches[i]!);
    const back = crashes.get(i);
    if (back !== undefined) {
      crashes.delete(i);
      i = Math.max(-1, i - back);
    }
  }
  return resequence(out);
}
