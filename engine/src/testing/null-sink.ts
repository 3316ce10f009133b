import type { Batch, Position } from '../event/index.js';
import { CLEAN_DELIVERY, type DeliveryReport, type Sink } from '../sinks/sink.js';

/** Accepts everything and keeps only counts: for benchmarks of what lies upstream of sinks. */
export class NullSink implements Sink {
  readonly required = true;
  readonly ownsCheckpoint = false;
  events = 0;
  batches = 0;
  bytes = 0;
  lastPosition: Position | null = null;
  constructor(readonly id = 'null') {}
  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async readCheckpoint(): Promise<Position | null> {
    return null;
  }
  async deliver(batch: Batch): Promise<DeliveryReport> {
    this.events += batch.events.length;
    this.batches++;
    this.bytes += batch.bytes;
    this.lastPosition = batch.position;
    return CLEAN_DELIVERY;
  }
}
