import type { Batch, Position } from '../event/index.js';
import { TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { PipelineMetrics } from '../metrics/hooks.js';
import type { Sink } from '../sinks/sink.js';
import type { CommitPolicy } from './commit-policy.js';
import { SinkLane, type LaneOptions } from './sink-lane.js';

export interface SinkStatus {
  readonly sinkId: string;
  readonly required: boolean;
  readonly position: Position | null;
  readonly ackedBatch: number;
  readonly backlog: number;
  readonly detached: boolean;
}

export interface SupervisorOptions {
  readonly pipeline: string;
  readonly sinks: readonly Sink[];
  readonly policy: CommitPolicy;
  /** A sink that does not gate commits and falls this many batches behind is detached until restart. */
  readonly maxLagBatches: number;
  readonly lanes: Pick<LaneOptions, 'compare' | 'clock' | 'random' | 'backoff' | 'dlq'>;
  readonly logger: Logger;
  readonly metrics: PipelineMetrics;
  /** The sink's durable checkpoint, for status and logs. */
  readonly savedPosition: (sinkId: string) => Position | null;
  readonly onAck: (sinkId: string, batch: Batch) => void;
  /** A sink failure the pipeline cannot continue past (fatal, a critical sink, policy out of reach). */
  readonly onFatal: (error: TidemarkError) => void;
  /** A sink was cut loose: batches it held back may be committable now. */
  readonly onDetached: () => void;
}

/**
 * One FIFO lane per sink, and what happens when a sink gives up or falls behind: a failure of a
 * sink that gates commits stops the pipeline; any other sink is detached (it keeps its
 * checkpoint and catches up after a restart) as long as the commit policy stays reachable.
 */
export class SinkSupervisor {
  private readonly lanes = new Map<string, SinkLane>();
  private readonly detached = new Set<string>();
  private readonly acked = new Map<string, number>();

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts a lane per sink; `checkpoints` is what each sink already holds. */
  start(checkpoints: ReadonlyMap<string, Position | null>): void {
    for (const sink of this.options.sinks) {
      const lane = new SinkLane({
        ...this.options.lanes,
        pipeline: this.options.pipeline,
        sink,
        checkpoint: checkpoints.get(sink.id) ?? null,
        logger: this.options.logger,
        metrics: this.options.metrics.sink(sink.id),
        onAck: (batch) => {
          this.acked.set(sink.id, batch.seq);
          this.options.onAck(sink.id, batch);
        },
        onGiveUp: (e) => this.onGaveUp(sink.id, e),
      });
      this.lanes.set(sink.id, lane);
      lane.start();
    }
  }

  /** Hands a batch to every attached lane. */
  push(batch: Batch): void {
    for (const [id, lane] of this.lanes) if (!this.detached.has(id)) lane.push(batch);
    this.detachLaggards();
  }

  /** Resolves once every lane delivered what it was given (or stopped). */
  async drained(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((l) => l.drained()));
  }

  stop(): void {
    for (const lane of this.lanes.values()) lane.stop();
  }

  status(): SinkStatus[] {
    return this.options.sinks.map((s) => ({
      sinkId: s.id,
      required: s.required,
      position: this.options.savedPosition(s.id),
      ackedBatch: this.acked.get(s.id) ?? 0,
      backlog: this.lanes.get(s.id)?.backlog ?? 0,
      detached: this.detached.has(s.id),
    }));
  }

  private onGaveUp(sinkId: string, error: TidemarkError): void {
    const { policy } = this.options;
    if (error.kind === 'fatal' || policy.isCritical(sinkId)) {
      this.options.onFatal(error);
      return;
    }
    this.detach(sinkId, error.message);
    const attached = new Set(this.options.sinks.map((s) => s.id).filter((id) => !this.detached.has(id)));
    if (!policy.isReachable(attached)) {
      this.options.onFatal(new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `commit policy (${policy.describe()}) can no longer be met: ${error.message}`, { cause: error, context: { pipeline: this.options.pipeline, sink: sinkId } }));
      return;
    }
    this.options.onDetached();
  }

  /** A sink that does not gate commits but keeps falling behind is cut loose, not waited for. */
  private detachLaggards(): void {
    const { policy, maxLagBatches } = this.options;
    for (const [id, lane] of this.lanes) {
      if (this.detached.has(id) || policy.isCritical(id) || policy.mode === 'quorum') continue;
      if (lane.backlog > maxLagBatches) this.detach(id, `${lane.backlog} batches behind (limit ${maxLagBatches})`);
    }
  }

  private detach(sinkId: string, reason: string): void {
    if (this.detached.has(sinkId)) return;
    this.detached.add(sinkId);
    this.lanes.get(sinkId)?.stop();
    this.options.logger.error(
      { pipeline: this.options.pipeline, sink: sinkId, checkpoint: this.options.savedPosition(sinkId), reason },
      'sink detached: it keeps its checkpoint and catches up from it after a restart; the source position is held back for it',
    );
  }
}
