import type { BatchSpec, CommitPolicySpec } from '../config/index.js';
import { sinkCheckpointKey, type CheckpointStore } from '../checkpoints/index.js';
import type { Batch, ChangeEvent, Position } from '../event/index.js';
import { errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { NOOP_METRICS, type PipelineMetrics } from '../metrics/hooks.js';
import type { Processor } from '../processors/processor.js';
import { ProcessorStage } from '../processors/stage.js';
import type { Sink } from '../sinks/sink.js';
import type { Source, SourceContext } from '../sources/source.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../util/backoff.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { Batcher, type SealedEvents } from './batcher.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { CommitPolicy } from './commit-policy.js';
import type { DeadLetterQueue } from './dead-letter.js';
import { canTransition, isTerminal, type PipelineState } from './lifecycle.js';
import { SinkLane, type BatchEntry } from './sink-lane.js';

export interface CoordinatorOptions {
  readonly pipeline: string;
  readonly tenant: string;
  readonly source: Source;
  readonly sinks: readonly Sink[];
  readonly batch: BatchSpec;
  readonly commitPolicy: CommitPolicySpec;
  readonly store: CheckpointStore;
  readonly processors?: readonly Processor[];
  readonly dlq?: DeadLetterQueue | null;
  readonly logger?: Logger;
  readonly metrics?: PipelineMetrics;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** A sink that does not gate commits and falls this many batches behind is detached until restart. */
  readonly maxLagBatches?: number;
  /** How long a graceful stop waits for in-flight batches before leaving them to the next start. */
  readonly stopTimeoutMs?: number;
  readonly onStateChange?: (state: PipelineState, failure: TidemarkError | null) => void;
}

export interface SinkStatus {
  readonly sinkId: string;
  readonly required: boolean;
  readonly position: Position | null;
  readonly ackedBatch: number;
  readonly backlog: number;
  readonly detached: boolean;
}

/**
 * The delivery core: source → batcher → (processors) → one FIFO lane per sink → commit policy
 * → per-sink checkpoints → source acknowledgement.
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
  private readonly o: Required<Omit<CoordinatorOptions, 'onStateChange' | 'dlq' | 'processors'>> & Pick<CoordinatorOptions, 'onStateChange'>;
  private readonly policy: CommitPolicy;
  private readonly batcher: Batcher;
  private readonly lanes = new Map<string, SinkLane>();
  private readonly detached = new Set<string>();
  private readonly acked = new Map<string, number>();
  private readonly pending: BatchEntry[] = [];
  private readonly processors: readonly Processor[];
  private readonly dlq: DeadLetterQueue | null;
  private writer!: CheckpointWriter;
  private seq = 0;
  private timer: TimerHandle | null = null;
  private readonly stage: ProcessorStage;
  private readonly pauseReasons = new Set<'backpressure' | 'user'>();
  private sourceStarted = false;
  private lastAcknowledged: Position | null = null;

  constructor(options: CoordinatorOptions) {
    this.o = {
      logger: silentLogger(),
      metrics: NOOP_METRICS,
      clock: systemClock,
      random: Math.random,
      backoff: DEFAULT_BACKOFF,
      maxLagBatches: Math.max(64, options.batch.max_inflight * 16),
      stopTimeoutMs: 30_000,
      ...options,
    } as Coordinator['o'];
    this.processors = options.processors ?? [];
    this.dlq = options.dlq ?? null;
    this.stage = new ProcessorStage({ ...this.o, processors: this.processors, dlq: this.dlq, deliver: (b) => this.enqueue(b), fail: (e) => this.fail(e) });
    this.policy = new CommitPolicy(options.commitPolicy, options.sinks);
    this.batcher = new Batcher(
      { maxEvents: options.batch.max_events, maxBytes: options.batch.max_bytes, respectSourceTx: options.batch.respect_source_tx },
      (sealed) => this.onSealed(sealed),
    );
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
    const { source, sinks, store, logger } = this.o;
    try {
      await Promise.all(sinks.map((s) => this.openWithRetry(s)));
      if (isTerminal(this.stateValue)) return;
      const positions = new Map<string, Position | null>();
      for (const sink of sinks) positions.set(sink.id, await this.initialCheckpoint(sink, store));
      this.writer = new CheckpointWriter(
        store,
        source.id,
        sinks.map((s) => s.id),
        (a, b) => source.comparePositions(a, b),
        (ids, min) => this.onCheckpointsSaved(ids, min),
        (e) => this.fail(asError(e, 'TIDEMARK_ERR_CHECKPOINT_IO')),
      );
      for (const [id, p] of positions) if (p) this.writer.seed(id, p);
      const resumeFrom = this.minimum([...positions.values()]);
      const missing = [...positions].filter(([, p]) => p === null).map(([id]) => id);
      if (resumeFrom && missing.length > 0) logger.info({ sinks: missing, from: resumeFrom }, 'new sinks receive events from the resume position on');

      for (const sink of sinks) {
        const lane = new SinkLane({
          pipeline: this.o.pipeline,
          sink,
          compare: (a, b) => source.comparePositions(a, b),
          checkpoint: positions.get(sink.id) ?? null,
          clock: this.o.clock,
          random: this.o.random,
          backoff: this.o.backoff,
          logger,
          metrics: this.o.metrics.sink(sink.id),
          dlq: this.dlq,
          onAck: (entry) => this.onAck(sink.id, entry),
          onGiveUp: (e) => this.onSinkGaveUp(sink.id, e),
        });
        this.lanes.set(sink.id, lane);
        lane.start();
      }
      if (this.stateValue !== 'starting') return;
      logger.info({ pipeline: this.o.pipeline, source: source.id, resumeFrom, policy: this.policy.describe() }, 'pipeline starting');
      // Marked before the call: a source may emit (and need pausing) before start() resolves.
      this.sourceStarted = true;
      const startedAfter = await source.start(this.sourceContext(resumeFrom));
      await this.anchorNewSinks(positions, startedAfter);
      if (this.stateValue === 'starting') this.transition('running');
    } catch (e) {
      this.fail(asError(e, 'TIDEMARK_ERR_PIPELINE_FAILED'));
    }
  }

  /** Pause processing; the source keeps its connection. */
  pause(): void {
    if (this.stateValue !== 'running') return;
    this.transition('paused');
    this.pauseSource('user');
  }

  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.transition('running');
    this.resumeSource('user');
  }

  /**
   * Graceful stop: no more reads, complete transactions already read are delivered and
   * checkpointed (within `stopTimeoutMs`), then sinks are closed.
   */
  async stop(): Promise<void> {
    if (isTerminal(this.stateValue) || this.stateValue === 'stopping') return;
    const wasStarted = this.stateValue !== 'created';
    this.transition('stopping');
    this.clearTimer();
    const { logger } = this.o;
    try {
      if (this.sourceStarted) await this.o.source.stop();
      const dropped = this.batcher.flushComplete();
      if (dropped > 0) logger.info({ events: dropped }, 'partial transaction left for replay after restart');
      await this.stage.idle();
      const drained = Promise.all([...this.lanes.values()].map((l) => l.drained()));
      let timedOut = false;
      if (Number.isFinite(this.o.stopTimeoutMs)) {
        const giveUp = new AbortController();
        timedOut = await Promise.race([drained.then(() => false), this.o.clock.sleep(this.o.stopTimeoutMs, giveUp.signal).then(() => !giveUp.signal.aborted)]);
        giveUp.abort();
      } else {
        await drained;
      }
      if (timedOut) logger.warn({ timeoutMs: this.o.stopTimeoutMs }, 'stop timed out waiting for sinks; undelivered batches are replayed on next start');
      if (wasStarted && this.writer) await this.writer.flush();
    } catch (e) {
      logger.error({ err: e }, 'error while stopping');
    }
    for (const lane of this.lanes.values()) lane.stop();
    await this.closeAll();
    if ((this.stateValue as PipelineState) === 'stopping') this.transition('stopped');
  }

  /**
   * Stops everything at once, as if the process died here: nothing is flushed and no
   * checkpoint is saved after this call. Used on failure and by crash tests.
   */
  crash(): void {
    this.clearTimer();
    this.stage.stop();
    this.writer?.close();
    for (const lane of this.lanes.values()) lane.stop();
    if (this.sourceStarted) this.o.source.stop().catch(() => {});
    this.sourceStarted = false;
  }

  status(): SinkStatus[] {
    return this.o.sinks.map((s) => ({
      sinkId: s.id,
      required: s.required,
      position: this.writer?.savedPosition(s.id) ?? null,
      ackedBatch: this.acked.get(s.id) ?? 0,
      backlog: this.lanes.get(s.id)?.backlog ?? 0,
      detached: this.detached.has(s.id),
    }));
  }

  /** Batches sealed but not yet committed (in the processor stage or waiting for sinks). */
  get inflight(): number {
    return this.pending.length + this.stage.waiting;
  }

  private sourceContext(resumeFrom: Position | null): SourceContext {
    return {
      pipeline: this.o.pipeline,
      tenant: this.o.tenant,
      resumeFrom,
      kv: this.o.store.kv,
      logger: this.o.logger.child({ source: this.o.source.id }),
      metrics: this.o.metrics.source(this.o.source.id),
      emit: (event) => this.onEvent(event),
      fail: (error) => this.fail(error),
    };
  }

  private onEvent(event: ChangeEvent): void {
    if (isTerminal(this.stateValue)) return;
    this.batcher.add(event);
    if (this.timer === null && this.batcher.openEvents > 0) this.armTimer();
  }

  private armTimer(): void {
    this.timer = this.o.clock.setTimer(this.o.batch.max_ms, () => {
      this.timer = null;
      if (isTerminal(this.stateValue) || this.stateValue === 'stopping') return;
      if (this.batcher.sealOnTimer()) this.armTimer();
    });
  }

  private clearTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private onSealed({ events, bytes }: SealedEvents): void {
    if (this.batcher.openEvents === 0) this.clearTimer();
    const batch: Batch = { seq: ++this.seq, events, bytes, position: events[events.length - 1]!.source.position };
    this.o.metrics.coordinator.batchSealed(events.length, bytes);
    if (this.processors.length === 0) this.enqueue(batch);
    else this.stage.push(batch);
    if (this.inflight >= this.o.batch.max_inflight) this.pauseSource('backpressure');
  }

  private enqueue(batch: Batch): void {
    if (isTerminal(this.stateValue)) return;
    const entry: BatchEntry = { batch, acks: new Set(), committed: false, sealedAt: performance.now() };
    this.pending.push(entry);
    for (const [id, lane] of this.lanes) if (!this.detached.has(id)) lane.push(entry);
    this.o.metrics.coordinator.queueDepth(this.pending.length);
    this.detachLaggards();
    // No sink gates this batch (e.g. mode required with no required sink): commit at once.
    this.tryCommit();
  }

  private onAck(sinkId: string, entry: BatchEntry): void {
    entry.acks.add(sinkId);
    this.acked.set(sinkId, entry.batch.seq);
    if (entry.committed) this.writer.set(sinkId, entry.batch.position);
    this.tryCommit();
  }

  private tryCommit(): void {
    while (this.pending.length > 0 && this.policy.isSatisfied(this.pending[0]!.acks)) {
      const entry = this.pending.shift()!;
      entry.committed = true;
      for (const sinkId of entry.acks) this.writer.set(sinkId, entry.batch.position);
      this.o.metrics.coordinator.stage('deliver', (performance.now() - entry.sealedAt) / 1000);
      const newest = entry.batch.events[entry.batch.events.length - 1];
      if (newest) this.o.metrics.coordinator.endToEnd(Math.max(0, this.o.clock.now() - newest.ts) / 1000);
    }
    this.o.metrics.coordinator.queueDepth(this.pending.length);
    if (this.inflight < this.o.batch.max_inflight) this.resumeSource('backpressure');
  }

  private onCheckpointsSaved(sinkIds: readonly string[], minimum: Position | null): void {
    for (const id of sinkIds) this.o.metrics.coordinator.checkpointSaved(id, true);
    if (minimum === null || isTerminal(this.stateValue)) return;
    if (this.lastAcknowledged && this.o.source.comparePositions(minimum, this.lastAcknowledged) <= 0) return;
    this.lastAcknowledged = minimum;
    try {
      this.o.source.acknowledge(minimum);
    } catch (e) {
      this.o.logger.warn({ err: e }, 'source acknowledge failed; it is retried on the next checkpoint');
    }
  }

  private onSinkGaveUp(sinkId: string, error: TidemarkError): void {
    if (error.kind === 'fatal' || this.policy.isCritical(sinkId)) {
      this.fail(error);
      return;
    }
    this.detach(sinkId, error.message);
    const attached = new Set(this.o.sinks.map((s) => s.id).filter((id) => !this.detached.has(id)));
    if (!this.policy.isReachable(attached)) {
      this.fail(new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `commit policy (${this.policy.describe()}) can no longer be met: ${error.message}`, { cause: error, context: { pipeline: this.o.pipeline, sink: sinkId } }));
      return;
    }
    // The detached sink will never acknowledge again: pending batches may now be committable.
    this.tryCommit();
  }

  /** A sink that does not gate commits but keeps falling behind is cut loose, not waited for. */
  private detachLaggards(): void {
    for (const [id, lane] of this.lanes) {
      if (this.detached.has(id) || this.policy.isCritical(id) || this.policy.mode === 'quorum') continue;
      if (lane.backlog > this.o.maxLagBatches) this.detach(id, `${lane.backlog} batches behind (limit ${this.o.maxLagBatches})`);
    }
  }

  private detach(sinkId: string, reason: string): void {
    if (this.detached.has(sinkId)) return;
    this.detached.add(sinkId);
    this.lanes.get(sinkId)?.stop();
    this.o.logger.error(
      { pipeline: this.o.pipeline, sink: sinkId, checkpoint: this.writer?.savedPosition(sinkId) ?? null, reason },
      'sink detached: it keeps its checkpoint and catches up from it after a restart; the source position is held back for it',
    );
  }

  private fail(error: TidemarkError): void {
    if (isTerminal(this.stateValue)) return;
    this.failureValue = error;
    this.o.logger.error({ pipeline: this.o.pipeline, tenant: this.o.tenant, err: error }, 'pipeline failed');
    this.crash();
    this.transition('failed');
    this.closeAll().catch(() => {});
  }

  private async openWithRetry(sink: Sink): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (isTerminal(this.stateValue) || this.stateValue === 'stopping') return;
      try {
        await sink.open();
        return;
      } catch (e) {
        const error = asError(e, 'TIDEMARK_ERR_SINK_UNAVAILABLE').withContext({ pipeline: this.o.pipeline, sink: sink.id });
        if (error.kind !== 'retryable') throw error;
        const delay = backoffDelay(attempt, this.o.backoff, this.o.random);
        this.o.logger.warn({ sink: sink.id, attempt: attempt + 1, retryInMs: delay, err: error }, 'sink not reachable at start, retrying');
        await this.o.clock.sleep(delay);
      }
    }
  }

  /**
   * A sink with no checkpoint yet gets one at the position the source starts after, before any
   * event is acknowledged: nothing before it was ever sent to that sink, and after a crash the
   * source must resume no later than this for it.
   */
  private async anchorNewSinks(positions: ReadonlyMap<string, Position | null>, startedAfter: Position): Promise<void> {
    const fresh = [...positions].filter(([, p]) => p === null).map(([id]) => id);
    if (fresh.length === 0) return;
    await this.o.store.save(fresh.map((id) => ({ key: sinkCheckpointKey(this.o.source.id, id), position: startedAfter })));
    for (const id of fresh) this.writer.seed(id, startedAfter);
  }

  /** What a sink already holds: its own record when it keeps one, else the store's. */
  private async initialCheckpoint(sink: Sink, store: CheckpointStore): Promise<Position | null> {
    const key = sinkCheckpointKey(this.o.source.id, sink.id);
    const stored = (await store.load(key))?.position ?? null;
    if (!sink.ownsCheckpoint) return stored;
    const own = await sink.readCheckpoint();
    if (own && (!stored || this.o.source.comparePositions(own, stored) !== 0)) await store.save([{ key, position: own }]);
    return own ?? stored;
  }

  private minimum(positions: ReadonlyArray<Position | null>): Position | null {
    let min: Position | null = null;
    for (const p of positions) if (p && (min === null || this.o.source.comparePositions(p, min) < 0)) min = p;
    return min;
  }

  private pauseSource(reason: 'backpressure' | 'user'): void {
    const wasPaused = this.pauseReasons.size > 0;
    this.pauseReasons.add(reason);
    if (!wasPaused && this.sourceStarted) this.o.source.pause();
  }

  private resumeSource(reason: 'backpressure' | 'user'): void {
    if (!this.pauseReasons.delete(reason)) return;
    if (this.pauseReasons.size === 0 && this.sourceStarted) this.o.source.resume();
  }

  private async closeAll(): Promise<void> {
    await Promise.allSettled([...this.o.sinks.map((s) => s.close()), ...this.processors.map((p) => p.close?.())]);
  }

  private transition(to: PipelineState): void {
    if (!canTransition(this.stateValue, to)) throw new Error(`illegal pipeline transition ${this.stateValue} -> ${to}`);
    this.stateValue = to;
    this.o.onStateChange?.(to, this.failureValue);
  }
}

function asError(e: unknown, code: 'TIDEMARK_ERR_PIPELINE_FAILED' | 'TIDEMARK_ERR_CHECKPOINT_IO' | 'TIDEMARK_ERR_SINK_UNAVAILABLE'): TidemarkError {
  if (isTidemarkError(e)) return e;
  return new TidemarkError(code, errorMessage(e), { cause: e, kind: code === 'TIDEMARK_ERR_SINK_UNAVAILABLE' ? undefined : 'fatal' });
}
