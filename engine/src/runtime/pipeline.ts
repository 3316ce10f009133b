import type { CheckpointBackend } from '../checkpoints/index.js';
import type { PipelineSpec } from '../config/index.js';
import { Coordinator, type DeadLetterQueue, type PipelineState, type SinkStatus } from '../coordinator/index.js';
import { errorMessage, isTidemarkError, TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { fanOutMetrics, NOOP_METRICS, PipelineActivity, type PipelineMetrics } from '../metrics/index.js';
import type { BackoffPolicy } from '../util/backoff.js';
import { Retrier } from '../util/retry/index.js';
import type { Sink } from '../sinks/sink.js';
import { SchemaSensor } from '../schema/sensing/index.js';
import { REGISTRY_COMPONENTS, type ComponentFactory } from './components.js';
import { sensedSource } from './sensed-source.js';

export interface PipelineDeps {
  readonly backend: CheckpointBackend;
  readonly logger: Logger;
  readonly metrics?: (spec: PipelineSpec) => PipelineMetrics;
  /** Opens the DLQ journal of a pipeline whose spec enables it. */
  readonly openDlq?: (spec: PipelineSpec) => DeadLetterQueue;
  /** Called on every status change, e.g. to update metrics or persist. */
  readonly onStateChange?: (pipeline: Pipeline, status: PipelineStatus) => void;
  /** Called before each automatic restart after a retryable failure. */
  readonly onRestart?: (pipeline: Pipeline, error: TidemarkError, delayMs: number) => void;
  readonly components?: ComponentFactory;
  /** Delay between automatic restarts after retryable failures (full jitter, floor 200 ms). */
  readonly restartBackoff?: BackoffPolicy;
  /** How long a graceful stop waits for in-flight batches. */
  readonly stopTimeoutMs?: number;
}

/** What the API reports. `starting` covers a run that is connecting or waiting to retry. */
export type PipelineStatus = 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'failed';
/** What the operator asked for; survives restarts of the process (see PipelineRecordStore). */
export type DesiredState = 'running' | 'paused' | 'stopped';

const DEFAULT_RESTART_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 30_000 };
const MIN_RESTART_DELAY_MS = 200;

/**
 * One pipeline and its supervision. A Coordinator runs once, so every (re)start builds fresh
 * components that resume from the stored checkpoints. Starting never blocks the caller: a
 * source that cannot connect keeps the pipeline in `starting` while it retries with backoff;
 * only a non-retryable or fatal error makes it `failed` (and /health 503).
 * (Longer than most: the supervision state machine, the restart retrier and the wiring of every
 * component of one run — source, schema sensor, processors, sinks, journal — meet here.)
 */
export class Pipeline {
  private coordinator: Coordinator | null = null;
  private runId = 0;
  private statusValue: PipelineStatus = 'stopped';
  private desiredValue: DesiredState = 'stopped';
  private failureValue: TidemarkError | null = null;
  private lastErrorValue: TidemarkError | null = null;
  private readonly restarts: Retrier;
  private retryTimer: NodeJS.Timeout | null = null;
  private runStartedAt: number | null = null;
  private started: Promise<void> = Promise.resolve();
  private dlq: DeadLetterQueue | null = null;
  private specValue: PipelineSpec;
  /** The sinks of the current run (for schema reloads). */
  private liveSinks: readonly Sink[] = [];
  /** Schema sensing (spec.schema_sensing.enabled); kept across runs while its settings stay. */
  private sensor: SchemaSensor | null = null;
  readonly activity = new PipelineActivity();

  constructor(spec: PipelineSpec, private readonly deps: PipelineDeps) {
    this.specValue = spec;
    this.restarts = new Retrier({
      what: 'pipeline run',
      // Coordinator failures arrive classified; a build failure was wrapped by asTidemarkError.
      classify: asTidemarkError,
      policy: { ...(deps.restartBackoff ?? DEFAULT_RESTART_BACKOFF), floorMs: MIN_RESTART_DELAY_MS },
      logger: deps.logger,
      fields: { pipeline: spec.metadata.name, tenant: spec.metadata.tenant },
    });
  }

  get name(): string {
    return this.specValue.metadata.name;
  }
  get spec(): PipelineSpec {
    return this.specValue;
  }
  get status(): PipelineStatus {
    return this.statusValue;
  }
  get desired(): DesiredState {
    return this.desiredValue;
  }
  /** Why the pipeline is `failed`; null otherwise. */
  get failure(): TidemarkError | null {
    return this.failureValue;
  }
  /** The retryable error behind the current (or last) automatic restart. */
  get lastError(): TidemarkError | null {
    return this.lastErrorValue;
  }
  /** Seconds since the current run was launched, or null when not running. */
  get uptimeSeconds(): number | null {
    return this.runStartedAt === null ? null : (Date.now() - this.runStartedAt) / 1000;
  }

  /** Launches a run in the background (no-op when one is live). `whenStarted()` awaits it. */
  start(desired: 'running' | 'paused' = 'running'): void {
    this.desiredValue = desired;
    if (this.isLive()) {
      if (desired === 'paused') this.coordinator?.pause();
      else this.coordinator?.resume();
      return;
    }
    this.launch();
  }

  /** Resolves when the current run has left `starting` for the first time (tests, CLI). */
  whenStarted(): Promise<void> {
    return this.started;
  }

  /** Pauses processing; the source keeps its connection. Applied once running if still starting. */
  pause(): void {
    this.desiredValue = 'paused';
    this.coordinator?.pause();
  }

  /** Resumes a paused pipeline, or starts a stopped/failed one from its checkpoints. */
  resume(): void {
    this.start('running');
  }

  /** Graceful stop: in-flight batches are delivered and checkpoints saved; the source disconnects. */
  async stop(): Promise<void> {
    this.desiredValue = 'stopped';
    this.cancelRetry();
    const c = this.coordinator;
    if (c && !['stopped', 'failed'].includes(c.state)) {
      this.setStatus('stopping');
      await c.stop();
    }
    // A failure while stopping (or before) is superseded by the operator's stop.
    this.failureValue = null;
    this.runStartedAt = null;
    this.setStatus('stopped');
  }

  /** Replaces the spec and starts again from the stored checkpoints (PATCH). */
  async restart(spec: PipelineSpec, desired: 'running' | 'paused' = 'running'): Promise<void> {
    await this.stop();
    this.specValue = spec;
    // Reopened with the new spec on start: the journal applies new bounds (or is not used).
    this.dlq = null;
    this.start(desired);
  }

  /** Live per-sink state of the current run (empty before the first run). */
  sinkStatus(): SinkStatus[] {
    return this.coordinator?.status() ?? [];
  }

  /** The DLQ journal, opened on demand so a stopped pipeline's DLQ can still be read. */
  journal(): DeadLetterQueue | null {
    if (!this.specValue.spec.journal.enabled || !this.deps.openDlq) return null;
    this.dlq ??= this.deps.openDlq(this.specValue);
    return this.dlq;
  }

  /**
   * POST /pipelines/{name}/schemas/reload: every sink of the current run forgets the encoding
   * schemas it cached (Avro ids), so the next batches look them up in the registry again. Source
   * schemas need no reload: each event carries the columns it was decoded with.
   */
  async reloadSchemas(): Promise<{ sinks: string[] }> {
    const reloaded: string[] = [];
    for (const sink of this.liveSinks) {
      if (!sink.reloadSchemas) continue;
      await sink.reloadSchemas();
      reloaded.push(sink.id);
    }
    return { sinks: reloaded };
  }

  /** The schema sensor, when the spec enables sensing (GET /pipelines/{name}/sensing/…, /drift). */
  sensing(): SchemaSensor | null {
    return this.sensor;
  }

  private sensorFor(spec: PipelineSpec, metrics: PipelineMetrics, logger: Logger): SchemaSensor | null {
    const settings = spec.spec.schema_sensing;
    if (!settings.enabled) return (this.sensor = null);
    if (this.sensor && JSON.stringify(this.sensor.spec) === JSON.stringify(settings)) return this.sensor;
    this.sensor = new SchemaSensor(settings, { logger: logger.child({ component: 'schema-sensing' }), ...(metrics.sensing ? { metrics: metrics.sensing() } : {}) });
    return this.sensor;
  }

  /** Stops and releases everything this pipeline holds (DELETE, process exit). */
  async dispose(): Promise<void> {
    await this.stop();
    this.closeDlq();
  }

  private isLive(): boolean {
    return this.retryTimer !== null || (this.coordinator !== null && !['stopped', 'failed'].includes(this.coordinator.state));
  }

  private launch(): void {
    const runId = ++this.runId;
    this.cancelRetry();
    this.failureValue = null;
    this.runStartedAt = Date.now();
    this.setStatus('starting');
    let coordinator: Coordinator;
    try {
      coordinator = this.build(runId);
    } catch (e) {
      this.coordinator = null;
      this.onRunFailed(asTidemarkError(e));
      this.started = Promise.resolve();
      return;
    }
    this.coordinator = coordinator;
    // Coordinator.start never rejects: failures arrive through onStateChange.
    this.started = coordinator.start();
  }

  private build(runId: number): Coordinator {
    const spec = this.specValue;
    const name = spec.metadata.name;
    const tenant = spec.metadata.tenant;
    const logger = this.deps.logger.child({ pipeline: name, tenant });
    const components = this.deps.components ?? REGISTRY_COMPONENTS;
    const metrics = fanOutMetrics([this.deps.metrics?.(spec) ?? NOOP_METRICS, this.activity.metrics]);
    const dlq = this.journal();
    const built = components.source(spec.spec.source, { pipeline: name, tenant, logger: logger.child({ source: spec.spec.source.config.id }) });
    const sensor = this.sensorFor(spec, metrics, logger);
    const source = sensor ? sensedSource(built, (e) => sensor.observe(e)) : built;
    const sinks = spec.spec.sinks.map((s) =>
      components.sink(s, { pipeline: name, tenant, logger: logger.child({ sink: s.config.id }), metrics: metrics.sink(s.config.id), dlqEnabled: dlq !== null, ...(metrics.encoding ? { encodingMetrics: metrics.encoding(s.config.id) } : {}) }),
    );
    this.liveSinks = sinks;
    const processors = spec.spec.processors.map((p) => components.processor(p, { pipeline: name, tenant, logger: logger.child({ processor: p.id }), metrics: metrics.processor(p.id) }));
    const coordinator: Coordinator = new Coordinator({
      pipeline: name,
      tenant,
      source,
      sinks,
      processors,
      dlq,
      batch: spec.spec.batch,
      commitPolicy: spec.spec.commit_policy,
      store: this.deps.backend.forPipeline(name),
      logger,
      metrics,
      ...(this.deps.stopTimeoutMs !== undefined ? { stopTimeoutMs: this.deps.stopTimeoutMs } : {}),
      onStateChange: (state) => {
        if (runId === this.runId) this.onCoordinatorState(coordinator, state);
      },
    });
    return coordinator;
  }

  private onCoordinatorState(coordinator: Coordinator, state: PipelineState): void {
    switch (state) {
      case 'running':
        this.restarts.succeeded();
        this.lastErrorValue = null;
        if (this.desiredValue === 'paused') coordinator.pause();
        else this.setStatus('running');
        return;
      case 'paused':
        this.setStatus('paused');
        return;
      case 'failed':
        if (this.desiredValue === 'stopped') return; // stop() is in charge and reports `stopped`
        this.onRunFailed(coordinator.failure ?? new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', 'pipeline failed'));
        return;
      default:
        // starting / stopping / stopped are reported by launch() and stop().
        return;
    }
  }

  private onRunFailed(error: TidemarkError): void {
    const step = this.desiredValue === 'stopped' ? null : this.restarts.failed(error);
    if (step && step.action !== 'give-up') {
      this.lastErrorValue = error;
      this.deps.onRestart?.(this, error, step.delayMs);
      this.setStatus('starting');
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.desiredValue !== 'stopped') this.launch();
      }, step.delayMs);
      this.retryTimer.unref?.();
      return;
    }
    this.failureValue = error;
    this.runStartedAt = null;
    this.setStatus('failed');
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private closeDlq(): void {
    const closable = this.dlq as (DeadLetterQueue & { close?: () => unknown }) | null;
    this.dlq = null;
    try {
      void closable?.close?.();
    } catch (e) {
      this.deps.logger.warn({ pipeline: this.name, err: e }, 'closing the DLQ journal failed');
    }
  }

  private setStatus(status: PipelineStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.deps.onStateChange?.(this, status);
  }
}

function asTidemarkError(e: unknown): TidemarkError {
  if (isTidemarkError(e)) return e;
  return new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', `pipeline could not be built: ${errorMessage(e)}`, { cause: e, kind: 'non-retryable' });
}
