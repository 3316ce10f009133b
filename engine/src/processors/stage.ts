import type { DeadLetterQueue } from '../coordinator/dead-letter.js';
import type { Batch, ChangeEvent } from '../event/index.js';
import { errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { PipelineMetrics, ProcessorMetrics } from '../metrics/hooks.js';
import type { Processor } from './processor.js';
import { settle } from './settle.js';

export interface ProcessorStageOptions {
  readonly pipeline: string;
  readonly tenant: string;
  readonly processors: readonly Processor[];
  readonly dlq: DeadLetterQueue | null;
  readonly logger: Logger;
  readonly metrics: PipelineMetrics;
  /** Receives each processed batch, in the order batches were pushed. */
  readonly deliver: (batch: Batch) => void;
  /** The pipeline cannot go on (a poison batch without DLQ, a broken processor, a DLQ write that failed). */
  readonly fail: (error: TidemarkError) => void;
}

/**
 * The coordinator's processor stage: runs each sealed batch through `spec.processors`, one
 * batch at a time and in seal order, and hands the result on with the batch's own position, so
 * a batch whose events were all dropped still moves the checkpoint.
 *
 * A processor failure never half-applies a batch. A poison failure (a script over its limits, a
 * strict outbox row) sends every event the failing processor received to the DLQ (as sink
 * `processor:<id>`) when the journal is enabled, and the batch goes on empty; without a journal
 * the pipeline stops with the processor and the reason named. Batches waiting here count as in
 * flight, so a slow script pauses the source instead of queueing without bound.
 */
export class ProcessorStage {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private stopped = false;
  private readonly metrics = new Map<string, ProcessorMetrics>();

  constructor(private readonly options: ProcessorStageOptions) {}

  /** Batches accepted and not yet handed on. */
  get waiting(): number {
    return this.queued;
  }

  push(batch: Batch): void {
    // Without processors a batch passes through synchronously (no promise hop per batch).
    if (this.options.processors.length === 0) {
      if (!this.stopped) this.options.deliver(batch);
      return;
    }
    this.queued++;
    this.chain = this.chain.then(() => this.run(batch));
  }

  /** Resolves when every pushed batch was handed on (or dropped by stop). */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Releases the processors' resources (isolates). */
  async close(): Promise<void> {
    await Promise.allSettled(this.options.processors.map((p) => p.close?.()));
  }

  /** Crash: nothing more is handed on; a batch in a processor finishes there and is discarded. */
  stop(): void {
    this.stopped = true;
  }

  private async run(batch: Batch): Promise<void> {
    let handedOn = false;
    try {
      const events = this.stopped ? null : await this.process(batch);
      if (events === null || this.stopped) return;
      let bytes = 0;
      for (const e of events) bytes += e.size;
      // Counted out before delivery, which counts it in as pending: the in-flight total stays put.
      this.queued--;
      handedOn = true;
      // The position stays the batch's last source position even if processors dropped that event.
      this.options.deliver({ seq: batch.seq, events, bytes, position: batch.position });
    } catch (e) {
      this.options.fail(new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `processor stage failed on batch ${batch.seq}: ${errorMessage(e)}`, { kind: 'fatal', cause: e, context: { pipeline: this.options.pipeline } }));
    } finally {
      if (!handedOn) this.queued--;
    }
  }

  /** The events to deliver, or null when the pipeline failed. */
  private async process(batch: Batch): Promise<readonly ChangeEvent[] | null> {
    const started = performance.now();
    let events = batch.events;
    for (const p of this.options.processors) {
      const metrics = this.metricsOf(p.id);
      const t0 = performance.now();
      let output: readonly ChangeEvent[];
      try {
        output = await p.process(events);
      } catch (e) {
        metrics.failed();
        return (await this.divert(p, batch, events, e)) ? [] : null;
      }
      if (this.stopped) return null;
      try {
        const settled = settle(p.id, this.options.tenant, events, output);
        metrics.latency((performance.now() - t0) / 1000);
        metrics.events(events.length, settled.events.length, settled.dropped);
        events = settled.events;
      } catch (e) {
        this.options.fail(asTidemark(e, p, batch));
        return null;
      }
    }
    this.options.metrics.coordinator.stage('process', (performance.now() - started) / 1000);
    return events;
  }

  /** A processor threw on `events`: DLQ them (true) or fail the pipeline (false). */
  private async divert(p: Processor, batch: Batch, events: readonly ChangeEvent[], thrown: unknown): Promise<boolean> {
    const error = asTidemark(thrown, p, batch);
    const where = { pipeline: this.options.pipeline, processor: p.id, batch: batch.seq, events: events.length };
    if (error.kind !== 'poison') {
      this.options.fail(error);
      return false;
    }
    if (!this.options.dlq) {
      this.options.fail(
        new TidemarkError(error.code, `${error.message}; spec.journal is not enabled, so the pipeline stops rather than skip the batch (enable it to send such batches to the DLQ)`, {
          kind: 'non-retryable',
          cause: error,
          context: error.context,
        }),
      );
      return false;
    }
    this.options.logger.error({ ...where, err: error }, 'processor failed on a batch: its events go to the DLQ and the pipeline moves on');
    try {
      await this.options.dlq.write(`processor:${p.id}`, batch.seq, events.map((event) => ({ event, error })));
      return true;
    } catch (e) {
      this.options.fail(new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `could not store batch ${batch.seq} in the DLQ after processor ${p.id} failed (${error.message}): ${errorMessage(e)}`, { kind: 'retryable', cause: e, context: { pipeline: this.options.pipeline, processor: p.id } }));
      return false;
    }
  }

  private metricsOf(id: string): ProcessorMetrics {
    let m = this.metrics.get(id);
    if (!m) this.metrics.set(id, (m = this.options.metrics.processor(id)));
    return m;
  }
}

function asTidemark(e: unknown, p: Processor, batch: Batch): TidemarkError {
  const context = { processor: p.id, batch: batch.seq };
  if (isTidemarkError(e)) return e.withContext(context);
  return new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `processor ${p.id} failed: ${errorMessage(e)}`, { kind: 'fatal', cause: e, context });
}
