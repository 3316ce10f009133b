import type { Batch, ChangeEvent, Position } from '../event/index.js';
import type { TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { EncodingMetrics, SinkMetrics } from '../metrics/hooks.js';

export interface SinkContext {
  readonly pipeline: string;
  readonly tenant: string;
  readonly logger: Logger;
  readonly metrics: SinkMetrics;
  /**
   * Whether poison events have somewhere to go. When false a sink must not deliver part of a
   * batch: it throws the first poison error instead, so the pipeline stops rather than skips.
   */
  readonly dlqEnabled: boolean;
  /** Avro encoding metrics (docs/avro.md); absent in tests and benchmarks. */
  readonly encodingMetrics?: EncodingMetrics;
}

/** An event the sink could not accept for a reason of its own (serialisation, routing, size). */
export interface PoisonedEvent {
  readonly event: ChangeEvent;
  readonly error: TidemarkError;
}

export interface DeliveryReport {
  /** Events left out of the delivery because they are poison; every other event was delivered. */
  readonly poisoned: readonly PoisonedEvent[];
}

export const CLEAN_DELIVERY: DeliveryReport = Object.freeze({ poisoned: [] });

/**
 * A destination. `deliver` either stores every non-poison event of the batch durably (as far
 * as the destination can promise) and resolves, or throws a classified `TidemarkError`
 * (retryable / non-retryable / fatal); the coordinator then retries the whole batch, so a
 * sink must tolerate seeing a batch again.
 *
 * A sink with `ownsCheckpoint` writes `batch.position` atomically with the data (Kafka
 * transaction, Redis script) and reports it from `readCheckpoint`, so the coordinator can skip
 * what it already holds after a crash: exactly-once without consumer help.
 */
export interface Sink {
  readonly id: string;
  readonly required: boolean;
  readonly ownsCheckpoint: boolean;
  open(): Promise<void>;
  readCheckpoint(): Promise<Position | null>;
  deliver(batch: Batch): Promise<DeliveryReport>;
  close(): Promise<void>;
  /** Forget cached encoding schemas (POST /pipelines/{name}/schemas/reload); optional. */
  reloadSchemas?(): Promise<void>;
}

/** The serializer context of a sink (logger and Avro metrics). */
export function serializerContext(who: string, ctx: SinkContext): { who: string; logger: Logger; metrics?: EncodingMetrics } {
  return { who, logger: ctx.logger, ...(ctx.encodingMetrics ? { metrics: ctx.encodingMetrics } : {}) };
}

/** An event's destination for the serializer's prepare step; null when routing fails (build() reports that). */
export function destinationOf(template: { resolve(e: ChangeEvent): string }, e: ChangeEvent): string | null {
  try {
    return template.resolve(e);
  } catch {
    return null;
  }
}
