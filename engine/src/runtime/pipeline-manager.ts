import type { PipelineSpec } from '../config/index.js';
import { TidemarkError } from '../errors/index.js';
import { Pipeline, type PipelineDeps } from './pipeline.js';

export interface HealthReport {
  readonly healthy: boolean;
  readonly failed: ReadonlyArray<{ readonly name: string; readonly reason: string; readonly code: string }>;
}

/** Many pipelines in one process, addressed by metadata.name. */
export class PipelineManager {
  private readonly pipelines = new Map<string, Pipeline>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Adds a pipeline and starts it. Rejects a name already in use. */
  async create(spec: PipelineSpec): Promise<Pipeline> {
    const name = spec.metadata.name;
    if (this.pipelines.has(name)) throw new TidemarkError('TIDEMARK_ERR_CONFIG_DUPLICATE', `pipeline ${name} already exists`, { context: { pipeline: name } });
    const pipeline = new Pipeline(spec, this.deps);
    this.pipelines.set(name, pipeline);
    await pipeline.start();
    return pipeline;
  }

  get(name: string): Pipeline | undefined {
    return this.pipelines.get(name);
  }

  list(): Pipeline[] {
    return [...this.pipelines.values()];
  }

  /** Stops a pipeline and forgets it; its checkpoints are removed too. */
  async remove(name: string): Promise<boolean> {
    const p = this.pipelines.get(name);
    if (!p) return false;
    await p.stop();
    this.pipelines.delete(name);
    await this.deps.backend.dropPipeline(name);
    return true;
  }

  /** Graceful stop of every pipeline, in parallel. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.list().map((p) => p.stop()));
  }

  health(): HealthReport {
    const failed = this.list()
      .filter((p) => p.state === 'failed')
      .map((p) => ({ name: p.name, reason: p.failure?.message ?? 'failed', code: p.failure?.code ?? 'TIDEMARK_ERR_PIPELINE_FAILED' }));
    return { healthy: failed.length === 0, failed };
  }
}
