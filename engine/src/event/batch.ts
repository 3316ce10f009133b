import type { ChangeEvent, Position } from './change-event.js';

/** The unit of delivery and of commit. Events are in source order. */
export interface Batch {
  /** Monotonic within one run of a pipeline; used in logs and metrics. */
  readonly seq: number;
  readonly events: readonly ChangeEvent[];
  readonly bytes: number;
  /** Position of the last event: the checkpoint this batch establishes once committed. */
  readonly position: Position;
}

export function batchId(pipeline: string, batch: Pick<Batch, 'seq'>): string {
  return `${pipeline}#${batch.seq}`;
}

/**
 * `batch` carrying only `events` (a processor's output, or the part a sink does not hold yet):
 * same seq and position — the end of what was sealed, so its checkpoint still covers the rest.
 */
export function withEvents(batch: Batch, events: readonly ChangeEvent[]): Batch {
  let bytes = 0;
  for (const e of events) bytes += e.size;
  return { seq: batch.seq, events, bytes, position: batch.position };
}
