import type { BitSet } from '../history/index.js';
import type { CheckerDef, RunContext, SinkSummary } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import { inTables, sinkVerdict, versionFacts } from './sink-view.js';

/**
 * Every version of an acknowledged (ok) transaction, for the tables a sink receives, is held
 * by that sink. Indeterminate (info) versions may or may not arrive; a failed version that
 * arrives is phantom's business, not this one's.
 */
export const lostDef: CheckerDef = {
  name: 'lost',
  verdicts(ctx) {
    const dlq = ctx.sinks.find((s) => s.meta.kind === 'dlq');
    return ctx.sinks.filter((s) => s.meta.kind !== 'dlq').map((sink) => judge(ctx, sink, dlq?.dlqBySink?.get(sink.meta.sink)));
  },
};

/** A version the sink refused counts as delivered when the DLQ journal holds it (with its reason) for that sink. */
function judge(ctx: RunContext, sink: SinkSummary, inDlq: BitSet | undefined) {
  const { log } = ctx;
  const missing = new Examples();
  let expected = 0;
  let infoDelivered = 0;
  let dead = 0;
  for (let v = 0; v < log.versionCount; v++) {
    if (!inTables(log, sink.tables, v)) continue;
    const t = log.vTxn.get(v);
    const outcome = log.effectiveOutcome(t);
    if (outcome === 'info' && sink.delivered.has(v)) infoDelivered++;
    if (outcome !== 'ok') continue;
    expected++;
    if (sink.delivered.has(v)) continue;
    if (inDlq?.has(v)) dead++;
    else missing.add(() => ({ ...versionFacts(log, v), writer: log.tWriter.get(t), committedAt: log.tCompletedAt.get(t) }));
  }
  const ok = dead > 0 ? `all ${expected} acknowledged versions arrived (${dead} of them in the DLQ, refused by the sink)` : `all ${expected} acknowledged versions arrived`;
  return sinkVerdict('lost', sink.label, missing, ok, `${missing.total} of ${expected} acknowledged versions never arrived${dead > 0 ? ` (neither in the sink nor in its DLQ)` : ''}`, {
    expected,
    delivered: expected - missing.total - dead,
    inDlq: dead,
    missing: missing.total,
    infoDelivered,
  });
}

export const lostChecker = checkerOf('lost', [lostDef]);
