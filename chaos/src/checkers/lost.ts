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
  verdicts: (ctx) => ctx.sinks.map((sink) => judge(ctx, sink)),
};

function judge(ctx: RunContext, sink: SinkSummary) {
  const { log } = ctx;
  const missing = new Examples();
  let expected = 0;
  let infoDelivered = 0;
  for (let v = 0; v < log.versionCount; v++) {
    if (!inTables(log, sink.tables, v)) continue;
    const t = log.vTxn.get(v);
    const outcome = log.effectiveOutcome(t);
    if (outcome === 'info' && sink.delivered.has(v)) infoDelivered++;
    if (outcome !== 'ok') continue;
    expected++;
    if (!sink.delivered.has(v)) missing.add(() => ({ ...versionFacts(log, v), writer: log.tWriter.get(t), committedAt: log.tCompletedAt.get(t) }));
  }
  return sinkVerdict('lost', sink.label, missing, `all ${expected} acknowledged versions arrived`, `${missing.total} of ${expected} acknowledged versions never arrived`, {
    expected,
    delivered: expected - missing.total,
    missing: missing.total,
    infoDelivered,
  });
}

export const lostChecker = checkerOf('lost', [lostDef]);
