import type { Batch, ChangeEvent, Position } from '../event/index.js';
import { errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import { ProcessorStage } from '../processors/stage.js';
import type { SourceContext } from '../sources/source.js';
import { Batcher, type SealedEvents } from './batcher.js';
import { BatchTimer } from './batch-timer.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { CommitPolicy } from './commit-policy.js';
import { CommitQueue, type CommitStep } from './commit-queue.js';
import { withDefaults, type CoordinatorOptions, type Settings } from './coordinator-options.js';
import { canTransition, isTerminal, type PipelineState } from './lifecycle.js';
import { SinkSupervisor, type SinkStatus } from './sink-supervisor.js';
import { SourceGate } from './source-gate.js';
import { minimumPosition } from './positions.js';
import { anchorNewSinks, openSinks, recoverCheckpoints } from './startup.js';

export type { SinkStatus } from './sink-supervisor.js';
export type { CoordinatorOptions } from './coordinator-options.js';

/**
 * The delivery core: source → batcher (batch-timer) → processor stage → one FIFO lane per sink
 * (sink-supervisor) → commit queue under the commit policy → per-sink checkpoints
 * (checkpoint-writer) → source release (source-gate). This class wires them and owns the
 * lifecycle; start-up recovery is in startup.ts.
 *
 * Invariants it keeps (and the property tests check):
 * - each sink receives batches in order; a batch is never split, and with respect_source_tx
 *   never ends inside a source transaction;
 * - a sink's checkpoint moves only to a batch that sink acknowledged and that is committed
 *   under the commit policy, and is saved only after the acknowledgement;
 * - after a restart the source resumes from the minimum checkpoint over all sinks and each
 *   sink is sent only what lies beyond its own checkpoint;
 * - the source is paused while `max_inflight` batches wait for commit (backpressure), and
 *   released server-side only up to the minimum durable checkpoint.
 */
export class Coordinator {
  private stateValue: PipelineState = 'created';
  private failureValue: TidemarkError | null = null;
  private readonly settings: Settings;
  private readonly policy: CommitPolicy;
  private readonly batcher: Batcher;
  private readonly timer: BatchTimer;
  private readonly stage: ProcessorStage;
  private readonly commits: CommitQueue;
  private readonly sinks: SinkSupervisor;
  private readonly gate: SourceGate;
  /** Aborted on stop, crash and failure: start-up retries end. */
  private readonly lifetime = new AbortController();
  private writer: CheckpointWriter | null = null;
  private seq = 0;

  constructor(options: CoordinatorOptions) {
    const settings = withDefaults(options);
    this.settings = settings;
    const { source, logger, metrics } = settings;
    this.policy = new CommitPolicy(options.commitPolicy, options.sinks);
    this.commits = new CommitQueue(this.policy, options.sinks.map((s) => s.id));
    this.batcher = new Batcher(
      { maxEvents: options.batch.max_events, maxBytes: options.batch.max_bytes, respectSourceTx: options.batch.respect_source_tx },
      (sealed) => this.onSealed(sealed),
    );
    this.timer = new BatchTimer(settings.clock, options.batch.max_ms, () => !this.halted && this.batcher.sealOnTimer());
    this.stage = new ProcessorStage({
      pipeline: options.pipeline,
      tenant: options.tenant,
      processors: options.processors ?? [],
      dlq: options.dlq ?? null,
      logger,
      metrics,
      deliver: (batch) => this.enqueue(batch),
      fail: (error) => this.fail(error),
    });
    this.sinks = new SinkSupervisor({
      pipeline: options.pipeline,
      sinks: options.sinks,
      policy: this.policy,
      maxLagBatches: settings.maxLagBatches,
      lanes: { compare: (a, b) => source.comparePositions(a, b), clock: settings.clock, random: settings.random, backoff: settings.backoff, dlq: options.dlq ?? null },
      logger,
      metrics,
      savedPosition: (id) => this.writer?.savedPosition(id) ?? null,
      onAck: (sinkId, batch) => this.apply(this.commits.ack(sinkId, batch)),
      onFatal: (error) => this.fail(error),
      onDetached: () => this.apply(this.commits.drain()),
    });
    this.gate = new SourceGate(source, options.batch.max_inflight, logger);
  }

  get state(): PipelineState {
    return this.stateValue;
  }

  get failure(): TidemarkError | null {
    return this.failureValue;
  }

  /** Opens sinks, reads checkpoints, starts the source. Resolves once the source streams. */
  async start(): Promise<void> {
    this.transition('starting');
    const { source, sinks, store, logger } = this.settings;
    const compare = (a: Position, b: Position) => source.comparePositions(a, b);
    try {
      if (!(await openSinks(sinks, { ...this.settings, signal: this.lifetime.signal })) || isTerminal(this.stateValue)) return;
      const positions = await recoverCheckpoints(sinks, store, source.id, compare);
      const writer = new CheckpointWriter(
        store,
        source.id,
        sinks.map((s) => s.id),
        compare,
        (ids, min) => this.onCheckpointsSaved(ids, min),
        (e) => this.fail(fatal(e, 'TIDEMARK_ERR_CHECKPOINT_IO')),
      );
      this.writer = writer;
      for (const [id, p] of positions) if (p) writer.seed(id, p);
      const resumeFrom = minimumPosition(positions.values(), compare);
      const missing = [...positions].filter(([, p]) => p === null).map(([id]) => id);
      if (resumeFrom && missing.length > 0) logger.info({ sinks: missing, from: resumeFrom }, 'new sinks receive events from the resume position on');
      this.sinks.start(positions);
      if (this.stateValue !== 'starting') return;
      logger.info({ pipeline: this.settings.pipeline, source: source.id, resumeFrom, policy: this.policy.describe() }, 'pipeline starting');
      this.gate.markStarted();
      const startedAfter = await source.start(this.sourceContext(resumeFrom));
      for (const id of await anchorNewSinks(store, source.id, positions, startedAfter)) writer.seed(id, startedAfter);
      if (this.stateValue === 'starting') this.transition('running');
    } catch (e) {
      this.fail(fatal(e, 'TIDEMARK_ERR_PIPELINE_FAILED'));
    }
  }

  /** Pause processing; the source keeps its connection. */
  pause(): void {
    if (this.stateValue !== 'running') return;
    this.transition('paused');
    this.gate.pause('user');
  }

  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.transition('running');
    this.gate.resume('user');
  }

  /**
   * Graceful stop: no more reads, complete transactions already read are delivered and
   * checkpointed (within `stopTimeoutMs`), then sinks are closed.
   */
  async stop(): Promise<void> {
    if (isTerminal(this.stateValue) || this.stateValue === 'stopping') return;
    const wasStarted = this.stateValue !== 'created';
    this.transition('stopping');
    this.lifetime.abort();
    this.timer.cancel();
    const { logger } = this.settings;
    try {
      await this.gate.stop();
      const dropped = this.batcher.flushComplete();
      if (dropped > 0) logger.info({ events: dropped }, 'partial transaction left for replay after restart');
      await this.stage.idle();
      if (!(await this.drainWithin(this.settings.stopTimeoutMs))) logger.warn({ timeoutMs: this.settings.stopTimeoutMs }, 'stop timed out waiting for sinks; undelivered batches are replayed on next start');
      if (wasStarted && this.writer) await this.writer.flush();
    } catch (e) {
      logger.error({ err: e }, 'error while stopping');
    }
    this.sinks.stop();
    await this.closeAll();
    if ((this.stateValue as PipelineState) === 'stopping') this.transition('stopped');
  }

  /**
   * Stops everything at once, as if the process died here: nothing is flushed and no
   * checkpoint is saved after this call. Used on failure and by crash tests.
   */
  crash(): void {
    this.lifetime.abort();
    this.timer.cancel();
    this.stage.stop();
    this.writer?.close();
    this.sinks.stop();
    this.gate.abandon();
  }

  status(): SinkStatus[] {
    return this.sinks.status();
  }

  /** Batches sealed but not yet committed (in the processor stage or waiting for sinks). */
  get inflight(): number {
    return this.commits.depth + this.stage.waiting;
  }

  private get halted(): boolean {
    return isTerminal(this.stateValue) || this.stateValue === 'stopping';
  }

  private sourceContext(resumeFrom: Position | null): SourceContext {
    const { pipeline, tenant, store, logger, metrics, source } = this.settings;
    return {
      pipeline,
      tenant,
      resumeFrom,
      kv: store.kv,
      logger: logger.child({ source: source.id }),
      metrics: metrics.source(source.id),
      emit: (event) => this.onEvent(event),
      fail: (error) => this.fail(error),
    };
  }

  private onEvent(event: ChangeEvent): void {
    if (isTerminal(this.stateValue)) return;
    this.batcher.add(event);
    if (this.batcher.openEvents > 0) this.timer.arm();
  }

  private onSealed({ events, bytes }: SealedEvents): void {
    if (this.batcher.openEvents === 0) this.timer.cancel();
    const batch: Batch = { seq: ++this.seq, events, bytes, position: events[events.length - 1]!.source.position };
    this.settings.metrics.coordinator.batchSealed(events.length, bytes);
    this.stage.push(batch);
    this.gate.pauseIfFull(this.inflight);
  }

  private enqueue(batch: Batch): void {
    if (isTerminal(this.stateValue)) return;
    const step = this.commits.push(batch, performance.now());
    this.sinks.push(batch);
    this.settings.metrics.coordinator.queueDepth(this.commits.depth);
    this.apply(step);
  }

  /** Saves the checkpoint moves of a commit step, reports what committed, lifts backpressure. */
  private apply(step: CommitStep): void {
    const { metrics, clock } = this.settings;
    for (const { sinkId, position } of step.moves) this.writer?.set(sinkId, position);
    for (const { batch, sealedAt } of step.committed) {
      metrics.coordinator.stage('deliver', (performance.now() - sealedAt) / 1000);
      const newest = batch.events[batch.events.length - 1];
      if (newest) metrics.coordinator.endToEnd(Math.max(0, clock.now() - newest.ts) / 1000);
    }
    metrics.coordinator.queueDepth(this.commits.depth);
    this.gate.resumeIfRoom(this.inflight);
  }

  private onCheckpointsSaved(sinkIds: readonly string[], minimum: Position | null): void {
    for (const id of sinkIds) this.settings.metrics.coordinator.checkpointSaved(id, true);
    if (minimum !== null && !isTerminal(this.stateValue)) this.gate.release(minimum);
  }

  /** True when every lane drained within `ms` (Infinity: wait as long as it takes). */
  private async drainWithin(ms: number): Promise<boolean> {
    const drained = this.sinks.drained();
    if (!Number.isFinite(ms)) return drained.then(() => true);
    const giveUp = new AbortController();
    const timedOut = await Promise.race([drained.then(() => false), this.settings.clock.sleep(ms, giveUp.signal).then(() => !giveUp.signal.aborted)]);
    giveUp.abort();
    return !timedOut;
  }

  private fail(error: TidemarkError): void {
    if (isTerminal(this.stateValue)) return;
    this.failureValue = error;
    this.settings.logger.error({ pipeline: this.settings.pipeline, tenant: this.settings.tenant, err: error }, 'pipeline failed');
    this.crash();
    this.transition('failed');
    this.closeAll().catch(() => {});
  }

  private async closeAll(): Promise<void> {
    await Promise.allSettled([...this.settings.sinks.map((s) => s.close()), this.stage.close()]);
  }

  private transition(to: PipelineState): void {
    if (!canTransition(this.stateValue, to)) throw new Error(`illegal pipeline transition ${this.stateValue} -> ${to}`);
    this.stateValue = to;
    this.settings.onStateChange?.(to, this.failureValue);
  }
}

/** Anything thrown where the pipeline cannot go on: classified errors keep their kind. */
function fatal(e: unknown, code: 'TIDEMARK_ERR_PIPELINE_FAILED' | 'TIDEMARK_ERR_CHECKPOINT_IO'): TidemarkError {
  if (isTidemarkError(e)) return e;
  return new TidemarkError(code, errorMessage(e), { cause: e, kind: 'fatal' });
}
