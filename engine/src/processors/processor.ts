import type { ChangeEvent } from '../event/index.js';

/**
 * Transforms the events of one batch, in order. May drop events; must keep each surviving
 * event's `source.position` and `tx`, which checkpoints and idempotency keys depend on.
 */
export interface Processor {
  readonly id: string;
  process(events: readonly ChangeEvent[]): Promise<readonly ChangeEvent[]> | readonly ChangeEvent[];
  close?(): Promise<void>;
}
