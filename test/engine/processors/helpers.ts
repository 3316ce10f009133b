import type { ChangeEvent, Row } from '../../../engine/src/event/index.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { NOOP_PROCESSOR_METRICS, type ProcessorMetrics } from '../../../engine/src/metrics/hooks.js';
import type { ProcessorContext } from '../../../engine/src/processors/processor.js';

export function ctx(metrics: ProcessorMetrics = NOOP_PROCESSOR_METRICS): ProcessorContext {
  return { pipeline: 'p', tenant: 't', logger: silentLogger(), metrics };
}

/** A table-change event with explicit images, for processor tests. */
export function rowEvent(i: number, o: { op?: ChangeEvent['op']; before?: Row | null; after?: Row | null; table?: string; db?: string; txId?: string; txIndex?: number; txEnd?: boolean; outbox?: string; schema?: string } = {}): ChangeEvent {
  const op = o.op ?? 'c';
  return {
    id: `ev-${i}`,
    source: { connector: 'memory', name: 'm', db: o.db ?? 'shop', table: o.table ?? 'orders', position: o.schema ? { offset: i, schema: o.schema } : { offset: i } },
    op,
    before: o.before !== undefined ? o.before : null,
    after: o.after !== undefined ? o.after : op === 'd' ? null : { id: i },
    tx: { id: o.txId ?? `tx-${i}`, index: o.txIndex ?? 0, end: o.txEnd ?? true },
    ts: 1_700_000_000_000 + i,
    schemaVersion: null,
    size: 100,
    primaryKey: ['id'],
    ...(o.outbox ? { outbox: { match: o.outbox } } : {}),
  };
}

/** Records every ProcessorMetrics call. */
export function recordingMetrics(): ProcessorMetrics & { calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  const rec = (name: string) => (...args: unknown[]) => void calls.push([name, args]);
  return { calls, latency: rec('latency'), failed: rec('failed'), events: rec('events'), limitExceeded: rec('limitExceeded'), outbox: rec('outbox') };
}
