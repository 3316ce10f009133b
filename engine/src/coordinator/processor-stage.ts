import { withEvents, type Batch, type ChangeEvent } from '../event/index.js';
import { errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import type { CoordinatorMetrics } from '../metrics/hooks.js';
import type { Processor } from '../processors/processor.js';

export interface ProcessorStageOptions {
  readonly pipeline: string;
  readonly processors: readonly Processor[];
  readonly metrics: CoordinatorMetrics;
  /** The processed batch, in seal order. It may hold fewer events than sealed, or none. */
  readonly onOutput: (batch: Batch) => void;
  /** A processor threw: the batch goes no further. The coordinator stops the pipeline. */
  readonly onFailure: (error: TidemarkError, batch: Batch) => void;
  /** True once the pipeline is stopped or failed: queued batches are dropped (replayed after restart). */
  readonly halted: () => boolean;
}

/**
 * Runs the processor chain over each sealed batch, one batch at a time so output keeps seal
 * order. Without processors a batch passes through synchronously.
 *
 * A processed batch keeps the sealed batch's `seq` and `position` whatever the processors
 * dropped: an empty batch still travels to the sinks (which acknowledge it without sending
 * anything) so its checkpoint advances past the events filtered out.
 */
export class ProcessorStage {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ProcessorStageOptions) {}

  submit(batch: Batch): void {
    if (this.options.processors.length === 0) {
      this.options.onOutput(batch);
      return;
    }
    this.queue = this.queue.then(() => this.process(batch));
  }

  /** Resolves once every submitted batch went through. */
  idle(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.options.processors.map((p) => p.close?.()));
  }

  private async process(batch: Batch): Promise<void> {
    if (this.options.halted()) return;
    const started = performance.now();
    let events: readonly ChangeEvent[] = batch.events;
    for (const processor of this.options.processors) {
      try {
        events = await processor.process(events);
      } catch (e) {
        this.options.onFailure(processorError(e, processor.id, this.options.pipeline, batch.seq), batch);
        return;
      }
    }
    this.options.metrics.stage('process', (performance.now() - started) / 1000);
    this.options.onOutput(withEvents(batch, events));
  }
}

/** A processor's failure, named: which processor, which batch. Fatal unless it says otherwise. */
function processorError(e: unknown, processor: string, pipeline: string, seq: number): TidemarkError {
  const context = { pipeline, processor, batch: `${pipeline}#${seq}` };
  if (isTidemarkError(e)) return e.withContext(context);
  return new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `processor ${processor} failed: ${errorMessage(e)}`, { cause: e, kind: 'fatal', context });
}
