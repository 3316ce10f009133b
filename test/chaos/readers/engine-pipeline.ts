/**
 * Runs events through one of the engine's real sinks: a Coordinator over a MemorySource with
 * memory checkpoints, until every event is committed. The best evidence that a reader decodes
 * what the engine really writes.
 */
import { batchSpec, commitPolicySpec, sinkSpec, type SinkSpec } from '../../../engine/src/config/index.js';
import { MemoryCheckpointBackend } from '../../../engine/src/checkpoints/index.js';
import { Coordinator } from '../../../engine/src/coordinator/index.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { NOOP_SINK_METRICS } from '../../../engine/src/metrics/hooks.js';
import { createSink } from '../../../engine/src/sinks/registry.js';
import { MemorySource, type MemoryPosition } from '../../../engine/src/testing/index.js';
import { waitFor } from '../../support/poll.js';
import { TENANT } from './fixtures.js';

export async function deliverThroughEngine(spec: { type: SinkSpec['type']; config: Record<string, unknown> }, events: readonly ChangeEvent[], pipeline: string, maxEvents = 7): Promise<void> {
  const sink = createSink(sinkSpec.parse(spec), { pipeline, tenant: TENANT, logger: silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled: false });
  const source = MemorySource.fromEvents(events, { chunk: 16 });
  const coordinator = new Coordinator({
    pipeline,
    tenant: TENANT,
    source,
    sinks: [sink],
    batch: batchSpec.parse({ max_events: maxEvents, max_ms: 20 }),
    commitPolicy: commitPolicySpec.parse({}),
    store: new MemoryCheckpointBackend().forPipeline(pipeline),
    dlq: null,
    logger: silentLogger(),
    backoff: { baseMs: 20, capMs: 300 },
  });
  await coordinator.start();
  // The last event's own offset: a later slice of a log (e.g. a reader test's second write) does not start at 0.
  const last = (events[events.length - 1]!.source.position as MemoryPosition).offset;
  try {
    await waitFor(() => `every event committed (state ${coordinator.state})`, () => source.acknowledged.some((p) => (p as MemoryPosition).offset >= last), {
      timeoutMs: 60_000,
      intervalMs: 20,
      abortIf: () => coordinator.state === 'failed' && `pipeline failed: ${coordinator.failure?.message}`,
    });
  } finally {
    await coordinator.stop();
  }
}
