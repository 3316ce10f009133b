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
    const sinks = ctx.sinks.filter((s) => s.meta.kind !== 'dlq');
    // What a bounded DLQ dropped by design (evicted or rejected) is lost by its policy, not by the engine:
    // poison versions missing from both the sink and the DLQ are tolerated up to that count, all sinks together.
    const bound = ctx.facts.dlq ? ctx.facts.dlq.evicted + ctx.facts.dlq.rejected : 0;
    const dropped = sinks.reduce((n, s) => n + droppedPoison(ctx, s, dlq?.dlqBySink?.get(s.meta.sink)), 0);
    const tolerate = dropped > 0 && dropped <= bound;
    return sinks.map((sink) => judge(ctx, sink, dlq?.dlqBySink?.get(sink.meta.sink), tolerate));
  },
};

/** Acknowledged poison versions for this sink that are neither in it nor in its DLQ. */
function droppedPoison(ctx: RunContext, sink: SinkSummary, inDlq: BitSet | undefined): number {
  const { log } = ctx;
  const bit = ['kafka', 'redis', 'nats', 'http'].indexOf(sink.meta.sink);
  if (bit < 0 || sink.meta.isolation === 'read_uncommitted') return 0;
  let n = 0;
  for (let v = 0; v < log.versionCount; v++) {
    if ((log.vPoison.get(v) & (1 << bit)) !== 0 && !sink.delivered.has(v) && !inDlq?.has(v) && log.acknowledged(log.vTxn.get(v))) n++;
  }
  return n;
}

/** A version the sink refused counts as delivered when the DLQ journal holds it (with its reason) for that sink. */
function judge(ctx: RunContext, sink: SinkSummary, inDlq: BitSet | undefined, tolerateDropped: boolean) {
  const { log } = ctx;
  const missing = new Examples();
  let expected = 0;
  let infoDelivered = 0;
  let dead = 0;
  let dlqDropped = 0;
  const bit = ['kafka', 'redis', 'nats', 'http'].indexOf(sink.meta.sink);
  for (let v = 0; v < log.versionCount; v++) {
    if (!inTables(log, sink.tables, v)) continue;
    const t = log.vTxn.get(v);
    const outcome = log.effectiveOutcome(t);
    if (outcome === 'info' && sink.delivered.has(v)) infoDelivered++;
    if (outcome !== 'ok') continue;
    expected++;
    if (sink.delivered.has(v)) continue;
    if (inDlq?.has(v)) dead++;
    else if (tolerateDropped && bit >= 0 && (log.vPoison.get(v) & (1 << bit)) !== 0) dlqDropped++;
    else missing.add(() => ({ ...versionFacts(log, v), writer: log.tWriter.get(t), committedAt: log.tCompletedAt.get(t) }));
  }
  const ok = dead > 0 ? `all ${expected} acknowledged versions arrived (${dead} of them in the DLQ, refused by the sink)` : `all ${expected} acknowledged versions arrived`;
  return sinkVerdict('lost', sink.label, missing, ok, `${missing.total} of ${expected} acknowledged versions never arrived${dead > 0 ? ` (neither in the sink nor in its DLQ)` : ''}`, {
    expected,
    delivered: expected - missing.total - dead - dlqDropped,
    inDlq: dead,
    ...(dlqDropped > 0 ? { droppedByDlqBound: dlqDropped } : {}),
    missing: missing.total,
    infoDelivered,
  });
}

export const lostChecker = checkerOf('lost', [lostDef]);
