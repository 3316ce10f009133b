import { processorSpec, type ProcessorSpec } from '@tidemark/engine/config/index';
import type { ChangeEvent } from '@tidemark/engine/event/index';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { NOOP_PROCESSOR_METRICS } from '@tidemark/engine/metrics/hooks';
import type { Processor } from '@tidemark/engine/processors/processor';
import { createProcessor } from '@tidemark/engine/processors/registry';
import type { RowVersion, SourceHistory, SourceTxn } from '../history/index.js';

/** Events per call, as the engine batches them (scenario pipelines use max_events 200). */
const CHUNK = 200;
/** The expectation is not under test: a slow CI machine must not fail it on a script's limits. */
const LIMIT_FACTOR = 20;

/**
 * The source history as the pipeline's processors make it: each row version becomes the event
 * the source would emit, goes through the same processor implementations the engine runs (the
 * same script, in the same kind of isolate), and comes back as a version with the images the
 * processors left, or not at all when they dropped it. The checkers then judge the sinks
 * against this history as usual: a version a processor dropped is not expected anywhere, a
 * rewritten one is expected rewritten.
 *
 * Processors that split one version into several are not supported here (a version is one
 * identity for the checkers); the function throws rather than judge a run wrongly. Returns the
 * history itself when the pipeline has no processors.
 */
export async function processedHistory(history: SourceHistory, pipelineDocument: Readonly<Record<string, unknown>>, tenant = 'chaos'): Promise<SourceHistory> {
  const specs = processorsOf(pipelineDocument);
  if (specs.length === 0) return history;
  const processors = specs.map((s) => createProcessor(relaxed(s), { pipeline: 'expectation', tenant, logger: silentLogger(), metrics: NOOP_PROCESSOR_METRICS }));
  try {
    const events = history.txns.flatMap((txn) => txn.versions.map((v, i) => toEvent(history, txn, v, i)));
    const survivors = new Map<string, ChangeEvent>();
    for (let at = 0; at < events.length; at += CHUNK) {
      let chunk: readonly ChangeEvent[] = events.slice(at, at + CHUNK);
      for (const p of processors) chunk = await p.process(chunk);
      for (const e of chunk) {
        const key = `${e.tx.id}/${e.tx.index}`;
        if (survivors.has(key)) throw new Error(`processor output splits version ${key}: the chaos expectation supports only processors that keep, rewrite or drop events`);
        survivors.set(key, e);
      }
    }
    return { ...history, txns: history.txns.map((txn) => withSurvivors(txn, survivors)) };
  } finally {
    await Promise.all(processors.map((p: Processor) => p.close?.()));
  }
}

/** Whether the pipeline runs processors (its sinks then hold what they make of the source history). */
export function hasProcessors(pipelineDocument: Readonly<Record<string, unknown>>): boolean {
  return processorsOf(pipelineDocument).length > 0;
}

function processorsOf(doc: Readonly<Record<string, unknown>>): ProcessorSpec[] {
  const spec = doc.spec as { processors?: unknown[] } | undefined;
  return (spec?.processors ?? []).map((p) => processorSpec.parse(p));
}

function relaxed(spec: ProcessorSpec): ProcessorSpec {
  if (spec.type !== 'javascript') return spec;
  const { cpu_ms, mem_mb, timeout_ms } = spec.limits;
  return { ...spec, limits: { cpu_ms: cpu_ms * LIMIT_FACTOR, mem_mb: Math.max(mem_mb, 256), timeout_ms: timeout_ms * LIMIT_FACTOR } };
}

/** The event a source emits for one version: what processors see in the engine. */
function toEvent(history: SourceHistory, txn: SourceTxn, v: RowVersion, index: number): ChangeEvent {
  return {
    id: `history:${txn.id}:${index}`,
    source: { connector: history.source, name: 'history', db: history.database ?? '', table: v.table, position: { txn: txn.id, index } },
    op: v.op,
    before: v.op === 'c' ? null : v.before,
    after: v.op === 'd' ? null : v.after,
    tx: { id: String(txn.id), index, end: index === txn.versions.length - 1 },
    ts: txn.completedAt,
    schemaVersion: null,
    size: 100,
    primaryKey: history.primaryKeys[v.table] ?? [],
  };
}

function withSurvivors(txn: SourceTxn, survivors: ReadonlyMap<string, ChangeEvent>): SourceTxn {
  const versions: RowVersion[] = [];
  txn.versions.forEach((v, i) => {
    const e = survivors.get(`${txn.id}/${i}`);
    if (e) versions.push({ ...v, before: v.op === 'c' ? v.before : e.before, after: v.op === 'd' ? v.after : e.after });
  });
  return { ...txn, versions };
}
