import type { CheckpointBackend } from '../checkpoints/index.js';
import type { PipelineSpec } from '../config/index.js';
import { Coordinator, type DeadLetterQueue, type PipelineState, type SinkStatus } from '../coordinator/index.js';
import { isTidemarkError, TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { NOOP_METRICS, type PipelineMetrics } from '../metrics/hooks.js';
import { createProcessor } from '../processors/registry.js';
import type { Sink } from '../sinks/sink.js';
import { createSink } from '../sinks/registry.js';
import { createSource } from '../sources/registry.js';

export interface PipelineDeps {
  readonly backend: CheckpointBackend;
  readonly logger: Logger;
  readonly metrics?: (spec: PipelineSpec) => PipelineMetrics;
  /** Opens the DLQ journal of a pipeline whose spec enables it. */
  readonly openDlq?: (spec: PipelineSpec) => DeadLetterQueue;
  /** Called on every state change, e.g. to update metrics or persist. */
  readonly onStateChange?: (pipeline: Pipeline, state: PipelineState) => void;
}

export type PipelineStatus = PipelineState;

/**
 * One pipeline built from its spec. A Coordinator runs once; starting again (after stop,
 * failure or a spec change) builds fresh components that resume from the stored checkpoints.
 */
export class Pipeline {
  private coordinator: Coordinator | null = null;
  private stateValue: PipelineState = 'created';
  private failureValue: TidemarkError | null = null;
  private specValue: PipelineSpec;

  constructor(spec: PipelineSpec, private readonly deps: PipelineDeps) {
    this.specValue = spec;
  }

  get name(): string {
    return this.specValue.metadata.name;
  }
  get spec(): PipelineSpec {
    return this.specValue;
  }
  get state(): PipelineState {
    return this.stateValue;
  }
  get failure(): TidemarkError | null {
    return this.failureValue;
  }

  async start(): Promise<void> {
    if (this.coordinator && !['stopped', 'failed', 'created'].includes(this.coordinator.state)) return;
    const spec = this.specValue;
    const name = spec.metadata.name;
    const logger = this.deps.logger.child({ pipeline: name, tenant: spec.metadata.tenant });
    this.failureValue = null;
    let coordinator: Coordinator;
    try {
      const metrics = this.deps.metrics?.(spec) ?? NOOP_METRICS;
      const dlq = spec.spec.journal.enabled ? this.openDlq(spec) : null;
      const source = createSource(spec.spec.source, { pipeline: name, tenant: spec.metadata.tenant, logger: logger.child({ source: spec.spec.source.config.id }) });
      const sinks: Sink[] = spec.spec.sinks.map((s) =>
        createSink(s, { pipeline: name, tenant: spec.metadata.tenant, logger: logger.child({ sink: s.config.id }), metrics: metrics.sink(s.config.id), dlqEnabled: dlq !== null }),
      );
      const processors = spec.spec.processors.map((p) => createProcessor(p, { pipeline: name }));
      coordinator = new Coordinator({
        pipeline: name,
        tenant: spec.metadata.tenant,
        source,
        sinks,
        processors,
        dlq,
        batch: spec.spec.batch,
        commitPolicy: spec.spec.commit_policy,
        store: this.deps.backend.forPipeline(name),
        logger,
        metrics,
        onStateChange: (state, failure) => {
          if (this.coordinator !== coordinator) return; // a replaced run reporting late
          this.stateValue = state;
          this.failureValue = failure;
          this.deps.onStateChange?.(this, state);
        },
      });
    } catch (e) {
      this.failWith(e);
      return;
    }
    this.coordinator = coordinator;
    await coordinator.start();
  }

  async stop(): Promise<void> {
    await this.coordinator?.stop();
    if (!this.coordinator && this.stateValue !== 'failed') this.setState('stopped');
  }

  pause(): void {
    this.coordinator?.pause();
  }

  resume(): void {
    this.coordinator?.resume();
  }

  /** Replaces the spec and restarts from the stored checkpoints. */
  async restart(spec: PipelineSpec = this.specValue): Promise<void> {
    await this.stop();
    this.specValue = spec;
    this.coordinator = null;
    await this.start();
  }

  sinkStatus(): SinkStatus[] {
    return this.coordinator?.status() ?? [];
  }

  private openDlq(spec: PipelineSpec): DeadLetterQueue {
    if (!this.deps.openDlq) throw new TidemarkError('TIDEMARK_ERR_CONFIG_UNSUPPORTED', 'spec.journal is enabled but this runtime has no DLQ journal', { context: { pipeline: spec.metadata.name } });
    return this.deps.openDlq(spec);
  }

  private failWith(e: unknown): void {
    this.failureValue = isTidemarkError(e) ? e : new TidemarkError('TIDEMARK_ERR_PIPELINE_FAILED', String(e), { cause: e });
    this.deps.logger.error({ pipeline: this.name, err: this.failureValue }, 'pipeline could not be built');
    this.setState('failed');
  }

  private setState(state: PipelineState): void {
    this.stateValue = state;
    this.deps.onStateChange?.(this, state);
  }
}
