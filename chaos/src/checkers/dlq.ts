import type { Verdict } from '../history/index.js';
import type { CheckerDef, RunContext, SinkSummary } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import { inTables, sinkVerdict, versionFacts } from './sink-view.js';

/**
 * The DLQ journal holds exactly the poison versions (docs/dlq.md): for each sink, every
 * acknowledged version the workload made poison for it (too large, unroutable) is in the DLQ
 * under that sink with a reason and not in the sink; no version the sink could take is in the
 * DLQ. The DLQ is read through the engine's REST API (what an operator sees), so this also
 * proves the endpoints list exactly the poison rows. Copies are allowed: entries are at least
 * once for at-least-once sinks (a replay after a crash stores them again with the same event id).
 */
export const dlqDef: CheckerDef = {
  name: 'dlq',
  verdicts(ctx) {
    const dlq = ctx.sinks.find((s) => s.meta.kind === 'dlq');
    if (!dlq) return [{ checker: 'dlq', validity: 'unknown', summary: 'the run read no DLQ journal (the pipeline needs journal.enabled)', counts: {}, examples: [] }];
    const bySink = new Map<string, SinkSummary>();
    for (const s of ctx.sinks) if (s.meta.kind !== 'dlq' && (!bySink.has(s.meta.sink) || s.meta.isolation === 'read_committed')) bySink.set(s.meta.sink, s);
    const verdicts = [...bySink.values()].map((s) => judge(ctx, s, dlq));
    return ctx.facts.dlq && ctx.facts.dlq.evicted + ctx.facts.dlq.rejected > 0 ? withinBound(ctx, verdicts) : verdicts;
  },
};

/**
 * A bounded DLQ drops entries by design (drop_oldest evicts, reject refuses): the poison versions
 * missing from it, over every sink, must be no more than what the engine counted as dropped.
 */
function withinBound(ctx: RunContext, verdicts: Verdict[]): Verdict[] {
  const { evicted, rejected, policy } = ctx.facts.dlq!;
  const missing = verdicts.reduce((n, v) => n + (v.counts.poison ?? 0) - (v.counts.inDlq ?? 0), 0);
  const wrong = verdicts.reduce((n, v) => n + (v.counts.wronglyDead ?? 0), 0);
  // Entries are at least once (a retried batch stores its poison again), so the engine may have
  // dropped more entries than there are distinct versions missing; never fewer.
  const ok = missing <= evicted + rejected && wrong === 0;
  const summary = ok
    ? `the DLQ (${policy}) holds every poison version but the ${missing} its bound dropped (${evicted} evicted, ${rejected} rejected, as the engine counted)`
    : `${missing} poison versions missing from the DLQ, but the engine counted ${evicted} evicted and ${rejected} rejected${wrong > 0 ? `; ${wrong} good versions dead-lettered` : ''}`;
  return verdicts.map((v) => ({ ...v, validity: ok ? 'valid' : 'invalid', summary, counts: { ...v.counts, evicted, rejected }, examples: ok ? [] : v.examples.length > 0 ? v.examples : [{ problem: 'dropped count differs', missing, evicted, rejected }] }));
}

export const dlqChecker = checkerOf('dlq', [dlqDef]);

function judge(ctx: RunContext, sink: SinkSummary, dlq: SinkSummary): Verdict {
  const { log } = ctx;
  const name = sink.meta.sink;
  const bit = ['kafka', 'redis', 'nats', 'http'].indexOf(name);
  const held = dlq.dlqBySink?.get(name);
  const problems = new Examples();
  let poison = 0;
  let inDlq = 0;
  let wronglyDead = 0;
  for (let v = 0; v < log.versionCount; v++) {
    if (!inTables(log, sink.tables, v)) continue;
    const isPoison = bit >= 0 && (log.vPoison.get(v) & (1 << bit)) !== 0;
    const dead = held?.has(v) === true;
    const acked = log.acknowledged(log.vTxn.get(v));
    if (isPoison && acked) {
      poison++;
      if (dead) inDlq++;
      else problems.add(() => ({ problem: 'poison version not in the DLQ', sink: name, ...versionFacts(log, v) }));
      if (sink.delivered.has(v)) problems.add(() => ({ problem: 'poison version delivered by the sink', sink: name, ...versionFacts(log, v) }));
    } else if (!isPoison && dead) {
      wronglyDead++;
      problems.add(() => ({ problem: 'a version the sink could take is in the DLQ', sink: name, ...versionFacts(log, v) }));
    }
  }
  return {
    ...sinkVerdict('dlq', sink.label, problems, `the DLQ holds exactly the ${poison} poison versions of ${name}, each with a reason`, `${problems.total} DLQ problems for ${name} (${poison - inDlq} poison versions missing, ${wronglyDead} good ones dead-lettered)`, { poison, inDlq, wronglyDead }),
  };
}
