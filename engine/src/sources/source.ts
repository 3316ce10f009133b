import type { ChangeEvent, Position } from '../event/index.js';
import type { TidemarkError } from '../errors/index.js';
import type { KeyValueStore } from '../checkpoints/checkpoint-store.js';
import type { Logger } from '../logging/logger.js';
import type { SourceMetrics } from '../metrics/hooks.js';

/** What the coordinator gives a source when it starts it. */
export interface SourceContext {
  readonly pipeline: string;
  readonly tenant: string;
  /** The minimum checkpoint over all sinks, or null on a first start. */
  readonly resumeFrom: Position | null;
  /** Durable key/value records for this pipeline: server identity, schemas, snapshot progress. */
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly metrics: SourceMetrics;
  /**
   * Hand one decoded event to the coordinator, in source order. Never drops: when the
   * coordinator's queue is full it calls `pause()`, and events already in flight are still
   * accepted.
   */
  emit(event: ChangeEvent): void;
  /** Report an error the source cannot recover from; the pipeline stops with it as the reason. */
  fail(error: TidemarkError): void;
}

/**
 * A change stream. The contract every source keeps:
 * - events are emitted in commit order, each transaction contiguous, `tx.end` on its last event;
 * - every event's `source.position` is a valid resume token ("everything up to and including
 *   this event"), so resuming from it re-emits nothing before it and skips nothing after it;
 * - the server-side position (binlog retention, replication slot) is only released up to what
 *   `acknowledge` was told is durably stored in every sink that gates the checkpoint.
 */
export interface Source {
  readonly id: string;
  /**
   * Connects, reconciles identity/schemas, and begins emitting (a snapshot runs in the
   * background). Resolves with the position streaming starts *after*: `resumeFrom` when it was
   * given, otherwise where the source chose to begin (binlog tail, slot position). Sinks with no
   * checkpoint yet are anchored there, so a crash before their first acknowledgement cannot
   * make them skip anything.
   */
  start(ctx: SourceContext): Promise<Position>;
  /** Stop reading from the server socket (backpressure). Idempotent. */
  pause(): void;
  resume(): void;
  /** The minimum durable checkpoint moved to `position`; the source may release server state up to it. */
  acknowledge(position: Position): void;
  /** Total order over positions this source produced: negative, zero or positive. */
  comparePositions(a: Position, b: Position): number;
  /** Disconnects. Events emitted before it resolves are still delivered. */
  stop(): Promise<void>;
}
