import { POISON_SINKS, type Verdict } from '../history/index.js';
import type { CheckerDef, RunContext, SinkSummary } from './checker.js';
import { Examples, MAX_EXAMPLES } from './examples.js';
import { checkerOf } from './judge.js';
import { inTables, versionFacts } from './sink-view.js';

/**
 * Every sink caught up with the source's final acknowledged state within the deadline, as the
 * run facts observed it. When it did not, the verdict names the final versions (the newest ok
 * version of each key) the sink still lacks, and the lag.
 */
export const stalledDef: CheckerDef = {
  name: 'stalled',
  verdicts(ctx) {
    const bySink = new Map<string, SinkSummary>();
    // Kafka is read twice; the read_committed read is what a consumer sees.
    for (const sink of ctx.sinks) if (sink.meta.kind !== 'dlq') if (!bySink.has(sink.meta.sink) || sink.meta.isolation === 'read_committed') bySink.set(sink.meta.sink, sink);
    return [...bySink.values()].map((s) => judge(ctx, s));
  },
};

export const stalledChecker = checkerOf('stalled', [stalledDef]);

function judge(ctx: RunContext, sink: SinkSummary): Verdict {
  const name = sink.meta.sink;
  const facts = ctx.facts.sinks[name];
  const { deadlineMs, catchUpFrom, checkedAt } = ctx.facts;
  if (!facts) return { checker: 'stalled', sink: name, validity: 'unknown', summary: `the run recorded no catch-up facts for sink "${name}"`, counts: {}, examples: [] };
  const deadlineAt = catchUpFrom + deadlineMs;
  const caughtUp = facts.caughtUpAt !== null && facts.caughtUpAt <= deadlineAt;
  const catchUpMs = facts.caughtUpAt === null ? null : Math.max(0, facts.caughtUpAt - catchUpFrom);
  const counts: Record<string, number> = { deadlineMs };
  if (catchUpMs !== null) counts.catchUpMs = catchUpMs;
  if (facts.lagMs !== undefined && facts.lagMs !== null) counts.lagMs = facts.lagMs;
  if (caughtUp) return { checker: 'stalled', sink: name, validity: 'valid', summary: `caught up ${seconds(catchUpMs!)} after the last write or heal (deadline ${seconds(deadlineMs)})`, counts, examples: [] };
  const missing = new Examples();
  const finals = finalVersions(ctx, sink);
  for (const v of finals) if (!sink.delivered.has(v)) missing.add(() => ({ ...versionFacts(ctx.log, v), committedAt: ctx.log.tCompletedAt.get(ctx.log.vTxn.get(v)) }));
  counts.finalVersions = finals.length;
  counts.missingFinal = missing.total;
  const behind = facts.caughtUpAt === null ? `still behind ${seconds(checkedAt - catchUpFrom)} after the last write or heal` : `caught up only after ${seconds(catchUpMs!)}`;
  const lag = counts.lagMs !== undefined ? `, last lag ${seconds(counts.lagMs)}` : '';
  return {
    checker: 'stalled',
    sink: name,
    validity: 'invalid',
    summary: `did not catch up within the ${seconds(deadlineMs)} deadline: ${behind}${lag}; ${missing.total} of ${finals.length} final versions missing`,
    counts,
    // The timing itself is the first example: a sink can be complete yet late.
    examples: [{ problem: 'deadline missed', caughtUpAt: facts.caughtUpAt, deadlineAt, lastLagMs: facts.lagMs ?? null }, ...missing.items].slice(0, MAX_EXAMPLES),
  };
}

/**
 * The newest acknowledged version of every key the sink receives (one slot per key); a version
 * the sink must refuse (poison) is the DLQ's to hold, not the sink's (`lost` and `dlq` judge it).
 */
function finalVersions(ctx: RunContext, sink: SinkSummary): number[] {
  const { log } = ctx;
  const newest = new Int32Array(log.keyCount).fill(-1);
  const bit = (POISON_SINKS as readonly string[]).indexOf(sink.meta.sink);
  for (let v = 0; v < log.versionCount; v++) {
    if (!log.acknowledged(log.vTxn.get(v)) || !inTables(log, sink.tables, v)) continue;
    if (bit >= 0 && (log.vPoison.get(v) & (1 << bit)) !== 0) continue;
    const k = log.vKey.get(v);
    const prior = newest[k]!;
    if (prior < 0 || rank(log.vSlot.get(v)) > rank(log.vSlot.get(prior))) newest[k] = v;
  }
  return [...newest].filter((v) => v >= 0);
}

/** Version order within a key: by version, the delete after the write it removed. */
function rank(slot: number): number {
  return (slot >> 2) * 2 + ((slot & 3) === 2 ? 1 : 0);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
