import type { PoisonedEvent } from '../sinks/sink.js';

/** Where the coordinator puts poison events a sink left out. Implemented by the DLQ journal. */
export interface DeadLetterQueue {
  /** Stores the events durably before the batch counts as acknowledged by `sinkId`. */
  write(sinkId: string, batchSeq: number, poisoned: readonly PoisonedEvent[]): Promise<void>;
}
