import { batchId, withEvents, type Batch, type Position } from '../event/index.js';
import { errorKind, errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { SinkMetrics } from '../metrics/hooks.js';
import type { Sink } from '../sinks/sink.js';
import type { BackoffPolicy } from '../util/backoff.js';
import type { Clock } from '../util/clock.js';
import { Retrier } from '../util/retry/index.js';
import type { DeadLetterQueue } from './dead-letter.js';

export interface LaneOptions {
  readonly pipeline: string;
  readonly sink: Sink;
  readonly compare: (a: Position, b: Position) => number;
  /** What this sink already holds: events at or before it are not sent again. */
  readonly checkpoint: Position | null;
  readonly clock: Clock;
  readonly random: () => number;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  readonly metrics: SinkMetrics;
  readonly dlq: DeadLetterQueue | null;
  readonly onAck: (batch: Batch) => void;
  /** The sink cannot continue (non-retryable, fatal or poison without DLQ). */
  readonly onGiveUp: (error: TidemarkError) => void;
}

/**
 * Delivers batches to one sink, strictly in order, one at a time, retrying retryable errors
 * with exponential backoff and jitter until they succeed or the lane is stopped.
 */
export class SinkLane {
  readonly sinkId: string;
  private readonly queue: Batch[] = [];
  private wake: (() => void) | null = null;
  private readonly abort = new AbortController();
  private skipThrough: Position | null;
  private running: Promise<void> | null = null;
  private busy = false;
  private drainWaiters: Array<() => void> = [];
  private readonly retrier: Retrier;
  /** Batch id of the delivery in progress, for the classified error's context. */
  private batchId = '';

  constructor(private readonly options: LaneOptions) {
    this.sinkId = options.sink.id;
    this.skipThrough = options.checkpoint;
    this.retrier = new Retrier({
      what: `sink ${options.sink.id} delivery`,
      classify: (e) => this.classify(e),
      policy: options.backoff,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      fields: { sink: options.sink.id },
    });
  }

  get backlog(): number {
    return this.queue.length + (this.busy ? 1 : 0);
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  start(): void {
    this.running ??= this.loop();
  }

  push(batch: Batch): void {
    if (this.stopped) return;
    this.queue.push(batch);
    this.wake?.();
  }

  /** Resolves once every queued batch was delivered (or the lane stopped). */
  drained(): Promise<void> {
    if (this.backlog === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops at once; a delivery in progress is abandoned (its batch is replayed after restart). */
  stop(): void {
    this.abort.abort();
    this.wake?.();
    this.notifyDrained();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const batch = this.queue.shift();
      if (!batch) {
        this.notifyDrained();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      this.busy = true;
      try {
        const ok = await this.deliver(batch);
        if (!ok) return;
        if (!this.stopped) this.options.onAck(batch);
      } finally {
        this.busy = false;
      }
    }
  }

  private notifyDrained(): void {
    if (this.backlog > 0 && !this.stopped) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /** Returns false when the lane gave up or was stopped. */
  private async deliver(sealed: Batch): Promise<boolean> {
    const { sink, metrics } = this.options;
    this.batchId = batchId(this.options.pipeline, sealed);
    for (;;) {
      if (this.stopped) return false;
      const batch = this.unsent(sealed);
      if (batch.events.length === 0) return true;
      const started = performance.now();
      try {
        const report = await sink.deliver(batch);
        if (this.stopped) return false;
        if (report.poisoned.length > 0) {
          if (!this.options.dlq) {
            const first = report.poisoned[0]!;
            throw new TidemarkError('TIDEMARK_ERR_PIPELINE_POISON_NO_DLQ', `sink ${sink.id} rejected event ${first.event.id} (${first.error.message}) and spec.journal is not enabled`, { kind: 'non-retryable', cause: first.error });
          }
          await this.options.dlq.write(sink.id, sealed.seq, report.poisoned);
        }
        metrics.delivered(batch.events.length - report.poisoned.length, batch.bytes, (performance.now() - started) / 1000);
        this.retrier.succeeded();
        this.skipThrough = null;
        return true;
      } catch (e) {
        if (this.stopped) return false;
        metrics.failed(errorKind(e));
        const step = this.retrier.failed(e);
        if (step.action === 'give-up') {
          this.options.onGiveUp(step.error);
          return false;
        }
        await this.retrier.wait(step, this.abort.signal);
        // A failed attempt may still have landed (a lost acknowledgement). A sink that keeps its
        // own checkpoint can tell us exactly what it holds, so the retry sends only the rest.
        if (sink.ownsCheckpoint && !this.stopped) await this.refreshCheckpoint();
      }
    }
  }

  /** Anything a sink throws, with this lane's pipeline, sink and batch attached. */
  private classify(e: unknown): TidemarkError {
    const context = { pipeline: this.options.pipeline, sink: this.options.sink.id, batch: this.batchId };
    return isTidemarkError(e) ? e.withContext(context) : new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', errorMessage(e), { cause: e, kind: errorKind(e), context });
  }

  private async refreshCheckpoint(): Promise<void> {
    try {
      this.skipThrough = await this.options.sink.readCheckpoint();
    } catch (e) {
      this.options.logger.warn({ sink: this.sinkId, err: e }, 'could not re-read sink checkpoint; will retry');
    }
  }

  /** The part of `batch` this sink does not hold yet. */
  private unsent(batch: Batch): Batch {
    const through = this.skipThrough;
    if (through === null) return batch;
    const events = batch.events;
    let i = 0;
    while (i < events.length && this.options.compare(events[i]!.source.position, through) <= 0) i++;
    return i === 0 ? batch : withEvents(batch, events.slice(i));
  }
}
