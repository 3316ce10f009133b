import { sinkCheckpointKey, type CheckpointBackend } from '../checkpoints/index.js';
import { redact } from '../config/index.js';
import type { TidemarkError } from '../errors/index.js';
import type { Pipeline, PipelineManager } from '../runtime/index.js';
import { dlqReader } from './dlq-reader.js';

/**
 * The reference's PipeInfo: `{name, status, spec}` plus what an operator (or the chaos
 * harness) needs to act on: tenant, origin, desired state, the failure and retry reasons, and
 * on a single GET the `ops` block. Responses are redacted again by the reply serializer.
 */
export function pipeInfo(pipeline: Pipeline, manager: PipelineManager): Record<string, unknown> {
  const spec = pipeline.spec;
  return {
    name: pipeline.name,
    tenant: spec.metadata.tenant,
    status: pipeline.status,
    desired: pipeline.desired,
    origin: manager.origin(pipeline.name) ?? 'api',
    labels: spec.metadata.labels,
    spec: redact(spec),
    failure: errorInfo(pipeline.failure),
    last_error: pipeline.status === 'starting' ? errorInfo(pipeline.lastError) : null,
  };
}

export async function pipeInfoWithOps(pipeline: Pipeline, manager: PipelineManager, backend: CheckpointBackend): Promise<Record<string, unknown>> {
  const totals = pipeline.activity.totals();
  const journal = dlqReader(pipeline);
  return {
    ...pipeInfo(pipeline, manager),
    ops: {
      uptime_seconds: pipeline.uptimeSeconds,
      lag_seconds: totals.lagSeconds,
      dlq_entries: journal ? await journal.count() : null,
      dlq_rejected: journal?.status ? journal.status().rejected : null,
      sink_errors: totals.sinkErrors,
      sink_events: totals.sinkEvents,
      checkpoints: await checkpointInfo(pipeline, backend),
    },
  };
}

/**
 * Per sink: the durable position and its age, read from the checkpoint store (so a stopped
 * pipeline answers too), plus the live lane state of the current run.
 */
export async function checkpointInfo(pipeline: Pipeline, backend: CheckpointBackend): Promise<Array<Record<string, unknown>>> {
  const store = backend.forPipeline(pipeline.name);
  const sourceId = pipeline.spec.spec.source.config.id;
  const live = new Map(pipeline.sinkStatus().map((s) => [s.sinkId, s]));
  const now = Date.now();
  return Promise.all(
    pipeline.spec.spec.sinks.map(async (sink) => {
      const id = sink.config.id;
      const stored = await store.load(sinkCheckpointKey(sourceId, id));
      const status = live.get(id);
      return {
        sink_id: id,
        required: sink.config.required,
        position: stored?.position ?? null,
        updated_at: stored ? new Date(stored.updatedAt).toISOString() : null,
        age_seconds: stored ? Math.max(0, (now - stored.updatedAt) / 1000) : null,
        backlog_batches: status?.backlog ?? 0,
        detached: status?.detached ?? false,
      };
    }),
  );
}

function errorInfo(e: TidemarkError | null): Record<string, unknown> | null {
  return e ? { code: e.code, kind: e.kind, remedy: e.remedy, message: e.message } : null;
}
