import type { Logger } from '../logging/logger.js';
import type { Pipeline } from './pipeline.js';

/**
 * The periodic info line per pipeline (the playbook's "info per batch summary"): batches, average
 * batch size, source lag and sink latency percentiles over the last interval. Stopped pipelines
 * are skipped; a running pipeline that moved nothing still logs, so silence is visible.
 */
export function startSummaryLog(pipelines: () => readonly Pipeline[], logger: Logger, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  const timer = setInterval(() => {
    for (const p of pipelines()) {
      const w = p.activity.takeWindow();
      if (p.status === 'stopped') continue;
      logger.info(
        {
          pipeline: p.name,
          tenant: p.spec.metadata.tenant,
          status: p.status,
          intervalSeconds: Math.round(w.seconds),
          batches: w.batches,
          events: w.events,
          avgBatchEvents: w.batches > 0 ? Math.round((w.events / w.batches) * 10) / 10 : 0,
          eventsPerSecond: w.seconds > 0 ? Math.round(w.events / w.seconds) : 0,
          lagSeconds: w.lagSeconds,
          sinks: w.sinks.map((s) => ({ sink: s.id, batches: s.batches, errors: s.errors, p50Ms: s.p50Ms, p95Ms: s.p95Ms, p99Ms: s.p99Ms })),
        },
        'pipeline summary',
      );
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
