/**
 * Runs a Coordinator in-process: a MemorySource over a log, one real sink, memory checkpoints
 * (or a given store), optionally a DLQ. Shared by the redis, nats and http integration tests.
 */
import { batchSpec, commitPolicySpec, sinkSpec, type BatchSpec, type SinkSpec } from '../../../engine/src/config/index.js';
import { MemoryCheckpointBackend, type CheckpointStore } from '../../../engine/src/checkpoints/index.js';
import { Coordinator, type DeadLetterQueue } from '../../../engine/src/coordinator/index.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import { silentLogger, type Logger } from '../../../engine/src/logging/logger.js';
import { NOOP_METRICS, NOOP_SINK_METRICS, type PipelineMetrics } from '../../../engine/src/metrics/hooks.js';
import { createSink } from '../../../engine/src/sinks/registry.js';
import type { Sink } from '../../../engine/src/sinks/sink.js';
import { MemorySource, type MemoryLog, type MemoryPosition } from '../../../engine/src/testing/index.js';
import { waitFor } from '../../support/poll.js';

export const PIPELINE = 'itest';
export const TENANT = 'acme';

export function makeSink(spec: { type: SinkSpec['type']; config: Record<string, unknown> }, options: { dlqEnabled?: boolean; pipeline?: string; logger?: Logger } = {}): Sink {
  const parsed = sinkSpec.parse(spec);
  return createSink(parsed, { pipeline: options.pipeline ?? PIPELINE, tenant: TENANT, logger: options.logger ?? silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled: options.dlqEnabled ?? false });
}

export interface RunningPipeline {
  readonly coordinator: Coordinator;
  readonly source: MemorySource;
  /** Highest offset the source was told is durable. */
  committed(): number;
  /** Resolves once `offset` is committed; rejects if the pipeline failed or the time ran out. */
  waitForCommit(offset: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the pipeline failed (state 'failed'). */
  waitForFailure(timeoutMs?: number): Promise<void>;
  /** Failed delivery attempts so far (the sink lane's retries count each). */
  failedAttempts(): number;
  /** Resolves once `done()` holds; rejects if the pipeline failed or the time ran out. */
  waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void>;
}

export async function startPipeline(options: {
  sink: Sink;
  log: MemoryLog;
  batch?: Partial<BatchSpec>;
  dlq?: DeadLetterQueue | null;
  store?: CheckpointStore;
  chunk?: number;
  chunkDelayMs?: number;
  pipeline?: string;
}): Promise<RunningPipeline> {
  const source = new MemorySource(options.log, { chunk: options.chunk ?? 64, chunkDelayMs: options.chunkDelayMs ?? 0 });
  let failedAttempts = 0;
  const metrics: PipelineMetrics = { ...NOOP_METRICS, sink: () => ({ ...NOOP_SINK_METRICS, failed: () => void failedAttempts++ }) };
  const coordinator = new Coordinator({
    pipeline: options.pipeline ?? PIPELINE,
    tenant: TENANT,
    source,
    sinks: [options.sink],
    batch: batchSpec.parse({ max_events: 50, max_ms: 50, ...options.batch }),
    commitPolicy: commitPolicySpec.parse({}),
    store: options.store ?? new MemoryCheckpointBackend().forPipeline(options.pipeline ?? PIPELINE),
    dlq: options.dlq ?? null,
    logger: silentLogger(),
    metrics,
    backoff: { baseMs: 20, capMs: 300 },
  });
  const committed = () => Math.max(-1, ...source.acknowledged.map((p) => (p as MemoryPosition).offset));
  const poll = async (done: () => boolean, timeoutMs: number, what: string): Promise<void> => {
    await waitFor(what, done, {
      timeoutMs,
      intervalMs: 20,
      abortIf: () => what !== 'failure' && coordinator.state === 'failed' && `pipeline failed: ${coordinator.failure?.message}`,
    }).catch((e: Error) => {
      throw new Error(`${e.message} (committed ${committed()}, state ${coordinator.state})`);
    });
  };
  await coordinator.start();
  return {
    coordinator,
    source,
    committed,
    waitForCommit: (offset, timeoutMs = 20_000) => poll(() => committed() >= offset, timeoutMs, `offset ${offset}`),
    waitForFailure: (timeoutMs = 20_000) => poll(() => coordinator.state === 'failed', timeoutMs, 'failure'),
    failedAttempts: () => failedAttempts,
    waitUntil: poll,
  };
}

/** Keeps the first occurrence of each idempotency key, in order (what a deduplicating consumer sees). */
export function firstOccurrences<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Per primary key, the versions must only increase (after dropping replayed duplicates). */
export function assertOrderPerKey(rows: ReadonlyArray<{ table: string; id: unknown; v: number }>): void {
  const last = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.table}/${String(r.id)}`;
    const prev = last.get(k);
    if (prev !== undefined && r.v <= prev) throw new Error(`order broken for ${k}: version ${r.v} after ${prev}`);
    last.set(k, r.v);
  }
}

export function logOf(events: readonly ChangeEvent[]): MemoryLog {
  return { length: events.length, at: (i) => events[i]! };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
