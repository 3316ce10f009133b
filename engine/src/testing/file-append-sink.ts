import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { Batch, Position } from '../event/index.js';
import { CLEAN_DELIVERY, type DeliveryReport, type Sink } from '../sinks/sink.js';

/**
 * Test sink that survives SIGKILL like a real one: every batch is appended to a file as JSON
 * lines and fsynced before `deliver` resolves, so what the file holds is exactly what was
 * acknowledged (plus, at worst, the batch being written when the process died).
 */
export class FileAppendSink implements Sink {
  readonly required = true;
  readonly ownsCheckpoint = false;
  private fd: number | null = null;

  /** `beforeStore` runs first on every batch; crash tests stall or kill the process there. */
  constructor(readonly id: string, private readonly path: string, private readonly beforeStore?: (batch: Batch) => Promise<void> | void) {}

  async open(): Promise<void> {
    this.fd = openSync(this.path, 'a');
  }

  async close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  async readCheckpoint(): Promise<Position | null> {
    return null;
  }

  async deliver(batch: Batch): Promise<DeliveryReport> {
    await this.beforeStore?.(batch);
    const lines = batch.events.map((e) => JSON.stringify({ id: e.id, table: e.source.table, op: e.op, tx: e.tx, before: e.before, after: e.after, position: e.source.position })).join('\n');
    writeSync(this.fd!, `${lines}\n`);
    fsyncSync(this.fd!);
    return CLEAN_DELIVERY;
  }
}
