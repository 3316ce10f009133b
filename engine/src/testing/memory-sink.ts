import type { Batch, ChangeEvent, Position } from '../event/index.js';
import { compileTemplate, type Template } from '../event/routing.js';
import { isTidemarkError, TidemarkError, type ErrorKind } from '../errors/index.js';
import { CLEAN_DELIVERY, type DeliveryReport, type PoisonedEvent, type Sink } from '../sinks/sink.js';

/** One scripted answer to a `deliver` call. */
export type SinkFault =
  | { readonly kind: ErrorKind; readonly stored?: false }
  /** The data lands but the acknowledgement is lost: the call still throws. */
  | { readonly kind: 'retryable'; readonly stored: true };

/**
 * Test double: keeps everything it was sent (like a real topic survives an engine crash)
 * and fails on command. With `ownsCheckpoint` it stores the batch position atomically with
 * the data, like a Kafka transaction.
 */
export class MemorySink implements Sink {
  readonly required: boolean;
  readonly ownsCheckpoint: boolean;
  /** Every stored write, in order: what a reader of this sink would see. */
  readonly writes: Array<{ readonly batchSeq: number; readonly events: readonly ChangeEvent[]; readonly tag: number }> = [];
  /** Copied onto each write; tests set it to the current engine run. */
  tag = 0;
  checkpoint: Position | null = null;
  deliverCalls = 0;
  private readonly faults: SinkFault[] = [];
  /** Called at the start of each deliver; returning 'drop' makes the call fail without storing. Tests crash the engine here. */
  beforeDeliver: ((batch: Batch) => 'drop' | void) | null = null;
  /** Called right after a batch was stored, before the call returns. */
  afterStore: ((batch: Batch) => void) | null = null;
  delayMs = 0;

  /** With `route`, each stored event's resolved destination, parallel to `events`. */
  readonly destinations: string[] = [];
  private readonly route: Template | null;
  private readonly dlqEnabled: boolean;

  /**
   * `route` is a destination template like a real sink's topic (`orders.${after.route}`): an
   * event it cannot resolve is poison, reported for the DLQ when `dlqEnabled`, else thrown
   * before anything of the batch is stored (the Sink contract).
   */
  constructor(readonly id: string, options: { required?: boolean; ownsCheckpoint?: boolean; route?: string; dlqEnabled?: boolean } = {}) {
    this.required = options.required ?? true;
    this.ownsCheckpoint = options.ownsCheckpoint ?? false;
    this.route = options.route === undefined ? null : compileTemplate(options.route, { tenant: 'memory', pipeline: id });
    this.dlqEnabled = options.dlqEnabled ?? false;
  }

  failNext(...faults: SinkFault[]): void {
    this.faults.push(...faults);
  }

  get events(): ChangeEvent[] {
    return this.writes.flatMap((w) => w.events);
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  async readCheckpoint(): Promise<Position | null> {
    return this.ownsCheckpoint ? this.checkpoint : null;
  }

  async deliver(batch: Batch): Promise<DeliveryReport> {
    this.deliverCalls++;
    if (this.beforeDeliver?.(batch) === 'drop') throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', 'connection lost before the write', { kind: 'retryable' });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const fault = this.faults.shift();
    if (fault && !fault.stored) throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `scripted ${fault.kind} failure`, { kind: fault.kind });
    const { stored, destinations, poisoned } = this.routeAll(batch.events);
    this.writes.push({ batchSeq: batch.seq, events: stored, tag: this.tag });
    this.destinations.push(...destinations);
    if (this.ownsCheckpoint) this.checkpoint = batch.position;
    this.afterStore?.(batch);
    if (fault) throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', 'scripted lost acknowledgement', { kind: 'retryable' });
    return poisoned.length === 0 ? CLEAN_DELIVERY : { poisoned };
  }

  private routeAll(events: readonly ChangeEvent[]): { stored: ChangeEvent[]; destinations: string[]; poisoned: PoisonedEvent[] } {
    if (!this.route) return { stored: [...events], destinations: [], poisoned: [] };
    const stored: ChangeEvent[] = [];
    const destinations: string[] = [];
    const poisoned: PoisonedEvent[] = [];
    for (const event of events) {
      try {
        destinations.push(this.route.resolve(event));
        stored.push(event);
      } catch (e) {
        if (!isTidemarkError(e) || e.kind !== 'poison' || !this.dlqEnabled) throw e;
        poisoned.push({ event, error: e });
      }
    }
    return { stored, destinations, poisoned };
  }
}
