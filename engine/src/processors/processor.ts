import type { ChangeEvent } from '../event/index.js';
import type { Logger } from '../logging/logger.js';
import type { ProcessorMetrics } from '../metrics/hooks.js';

/**
 * Transforms the events of one batch: receives them in source order, returns the survivors —
 * kept, rewritten, dropped or split — in source order. Runs between the batcher and the sinks,
 * one batch at a time, in the order of `spec.processors`.
 *
 * An implementation must not:
 * - change an event's `source` (its position), `tx.id`, `tx.index` or `id`: checkpoints,
 *   transaction boundaries, idempotency keys and exactly-once skipping are derived from them.
 *   (The stage, not the processor, moves `tx.end` to the last survivor of a transaction and
 *   numbers `copy` on split events: see `settle`.)
 * - return an event that is not derived from one of its input events;
 * - depend on anything but the events (time, randomness, earlier batches): a replay after a
 *   crash must produce the same output, or exactly-once and idempotency keys mean nothing;
 * - fail part of a batch: it either returns the whole output or throws. A poison
 *   `TidemarkError` (a script over its limits, a strict outbox row) sends the batch's events to
 *   the DLQ when the journal is enabled, else stops the pipeline.
 */
export interface Processor {
  readonly id: string;
  process(events: readonly ChangeEvent[]): Promise<readonly ChangeEvent[]> | readonly ChangeEvent[];
  /** Releases what the processor holds (an isolate); called when the pipeline run ends. */
  close?(): Promise<void>;
}

export interface ProcessorContext {
  readonly pipeline: string;
  readonly tenant: string;
  readonly logger: Logger;
  readonly metrics: ProcessorMetrics;
}
