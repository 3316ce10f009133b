import type { DlqFacts } from '../checkers/index.js';
import type { SourceLog } from '../history/index.js';
import { DlqTail, type SinkFeed } from '../readers/index.js';
import type { RunState } from './run-state.js';

/** The journal settings of the rendered pipeline (docs/dlq.md), when it has one. */
function journalOf(s: RunState): { policy: DlqFacts['policy']; maxEntries: number } | null {
  const journal = (s.prepared?.pipeline.document.spec as { journal?: { enabled?: boolean; dlq?: { overflow_policy?: string; max_entries?: number } } } | undefined)?.journal;
  if (!journal?.enabled) return null;
  return { policy: (journal.dlq?.overflow_policy ?? 'drop_oldest') as DlqFacts['policy'], maxEntries: journal.dlq?.max_entries ?? 10_000 };
}

const tails = new WeakMap<RunState, DlqTail>();

/**
 * The pipeline's DLQ journal as one more history, when the scenario's checkers judge it. Under
 * overflow_policy block the harness acknowledges what it read, as a DLQ consumer would: that is
 * what makes room for the stalled sink.
 */
export function dlqFeeds(s: RunState, log: SourceLog): SinkFeed[] {
  if (!s.run.scenario.checkers.includes('dlq')) return [];
  const { api } = s.engine;
  const pipeline = s.ns.pipeline;
  const ack = journalOf(s)?.policy === 'block';
  const tail = new DlqTail({ list: () => api.dlq(pipeline), count: () => api.dlqCount(pipeline), primaryKeys: log.primaryKeys, ...(ack ? { ack: (seq: number) => api.dlqAck(pipeline, seq) } : {}) });
  tails.set(s, tail);
  return [{ meta: { sink: 'dlq', kind: 'dlq', exactlyOnce: false }, tail }];
}

/** The DLQ's bound and what it dropped, from the engine's metrics (counters of the last engine process). */
export async function dlqFacts(s: RunState): Promise<DlqFacts | undefined> {
  const journal = journalOf(s);
  if (!journal || !s.run.scenario.checkers.includes('dlq')) return undefined;
  const metric = async (name: string) => {
    const text = await fetch(`${s.engine.metricsUrl}/metrics`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text(), () => '');
    const m = new RegExp(`^${name}\\{[^}]*pipeline="${s.ns.pipeline}"[^}]*\\}\\s+([\\d.e+]+)`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { ...journal, evicted: await metric('tidemark_dlq_evicted_total'), rejected: await metric('tidemark_dlq_rejected_total'), acked: tails.get(s)?.acked ?? 0 };
}
