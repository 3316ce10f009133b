import type { PipelineStatusView } from '../metrics/index.js';
import type { PipelineManager } from './pipeline-manager.js';

/** What the metrics module reads at scrape time. */
export function pipelineStatusViews(manager: PipelineManager): PipelineStatusView[] {
  return manager.list().map((p) => {
    const live = new Map(p.sinkStatus().map((s) => [s.sinkId, s]));
    return {
      name: p.name,
      tenant: p.spec.metadata.tenant,
      status: p.status,
      maxInflight: p.spec.spec.batch.max_inflight,
      sinks: p.spec.spec.sinks.map((s) => ({ id: s.config.id, required: s.config.required, backlog: live.get(s.config.id)?.backlog ?? 0, detached: live.get(s.config.id)?.detached ?? false })),
    };
  });
}
