import { sinkCheckpointKey } from '../checkpoints/index.js';
import { formatProblem, validateSpec, type PipelineSpec } from '../config/index.js';
import { ControlError, notFound } from './control-error.js';
import { deepMerge, isPlainObject } from './deep-merge.js';
import { matchesLabels, type LabelFilter } from './label-filter.js';
import { Pipeline, type DesiredState, type PipelineDeps } from './pipeline.js';
import type { PipelineRecordStore } from './records.js';
import type { PlannedPipeline } from './restore-plan.js';

export interface HealthReport {
  readonly healthy: boolean;
  readonly pipelines: number;
  readonly failed: ReadonlyArray<{ readonly name: string; readonly reason: string; readonly code: string }>;
}

export interface ManagerOptions extends PipelineDeps {
  /** Where API changes are persisted; without it they live in memory only. */
  readonly records?: PipelineRecordStore;
  /** Environment for `${VAR}` expansion of documents (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Called after a pipeline was deleted (e.g. to drop its metric series). */
  readonly onRemoved?: (name: string) => void;
}

export type PipelineOrigin = 'api' | 'config';

interface Entry {
  readonly pipeline: Pipeline;
  /** What the operator wrote (before `${ENV}` expansion and defaults); PATCH merges into it. */
  document: unknown;
  readonly origin: PipelineOrigin;
  readonly baseConfigSha256: string | null;
}

/**
 * Many pipelines in one process, addressed by metadata.name. Operations on one pipeline are
 * serialised; every API change is persisted (when a record store is given) before it returns.
 */
export class PipelineManager {
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ManagerOptions) {}

  /** Validates a pipeline document; `where` names it in problems (a file, "request body"). */
  validate(document: unknown, where: string): PipelineSpec {
    const { spec, problems } = validateSpec(document, where, this.deps.env);
    if (!spec) throw new ControlError('invalid-spec', problems.map(formatProblem).join('\n'), problems);
    return spec;
  }

  /**
   * Registers the pipelines of a restore plan (config files + persisted records) and starts
   * them in the background. Every document is validated before any pipeline starts.
   */
  restore(planned: readonly PlannedPipeline[]): void {
    const specs = planned.map((p) => this.validate(p.document, p.from === 'record' ? (this.deps.records?.path(p.name) ?? p.name) : `--config pipeline ${p.name}`));
    planned.forEach((p, i) => {
      const pipeline = new Pipeline(specs[i]!, this.deps);
      this.entries.set(p.name, { pipeline, document: p.document, origin: p.origin, baseConfigSha256: p.baseConfigSha256 });
      if (p.desired !== 'stopped') pipeline.start(p.desired);
    });
  }

  /** Creates and starts a pipeline; returns at once (the source connects in the background). */
  create(document: unknown): Pipeline {
    const spec = this.validate(document, 'request body');
    const name = spec.metadata.name;
    if (this.entries.has(name)) throw new ControlError('exists', `pipeline ${name} already exists`);
    const pipeline = new Pipeline(spec, this.deps);
    const entry: Entry = { pipeline, document, origin: 'api', baseConfigSha256: null };
    this.entries.set(name, entry);
    this.persist(entry, 'running');
    pipeline.start('running');
    return pipeline;
  }

  get(name: string): Pipeline | undefined {
    return this.entries.get(name)?.pipeline;
  }

  require(name: string): Pipeline {
    const p = this.get(name);
    if (!p) throw notFound(name);
    return p;
  }

  origin(name: string): PipelineOrigin | undefined {
    return this.entries.get(name)?.origin;
  }

  list(filters: readonly LabelFilter[] = []): Pipeline[] {
    return [...this.entries.values()].map((e) => e.pipeline).filter((p) => matchesLabels(p.spec.metadata.labels, filters));
  }

  /** Deep-merges `patch` into the pipeline's document and restarts it from its checkpoints. */
  patch(name: string, patch: unknown): Promise<Pipeline> {
    return this.exclusive(name, async () => {
      const entry = this.requireEntry(name);
      if (!isPlainObject(patch)) throw new ControlError('invalid-spec', 'request body: expected a JSON object with the fields to change', [{ file: 'request body', path: '(document)', reason: 'expected a JSON object' }]);
      const patchedName = isPlainObject(patch.metadata) ? patch.metadata.name : undefined;
      if (patchedName !== undefined && patchedName !== name) throw new ControlError('name-mismatch', `metadata.name "${String(patchedName)}" does not match pipeline ${name}; a pipeline cannot be renamed`);
      const document = deepMerge(entry.document, patch);
      const spec = this.validate(document, 'request body (merged)');
      const old = entry.pipeline.spec;
      const desired: DesiredState = entry.pipeline.desired === 'paused' ? 'paused' : 'running';
      await entry.pipeline.stop();
      await this.dropStaleCheckpoints(old, spec);
      entry.document = document;
      this.persist(entry, desired);
      await entry.pipeline.restart(spec, desired);
      return entry.pipeline;
    });
  }

  pause(name: string): Promise<Pipeline> {
    return this.exclusive(name, () => {
      const entry = this.requireEntry(name);
      const { status } = entry.pipeline;
      if (status === 'stopped' || status === 'failed') throw new ControlError('invalid-state', `pipeline ${name} is ${status}; resume it first`);
      entry.pipeline.pause();
      this.persist(entry, 'paused');
      return entry.pipeline;
    });
  }

  resume(name: string): Promise<Pipeline> {
    return this.exclusive(name, () => {
      const entry = this.requireEntry(name);
      entry.pipeline.resume();
      this.persist(entry, 'running');
      return entry.pipeline;
    });
  }

  stop(name: string): Promise<Pipeline> {
    return this.exclusive(name, async () => {
      const entry = this.requireEntry(name);
      await entry.pipeline.stop();
      this.persist(entry, 'stopped');
      return entry.pipeline;
    });
  }

  /** Stops a pipeline and forgets it with its checkpoints and source state (schemas, identity). */
  remove(name: string): Promise<void> {
    return this.exclusive(name, async () => {
      const entry = this.requireEntry(name);
      await entry.pipeline.dispose();
      this.entries.delete(name);
      await this.deps.backend.dropPipeline(name);
      const records = this.deps.records;
      if (records && entry.origin === 'api') records.remove(name);
      // A config pipeline would come back from its file on restart; a tombstone keeps it deleted.
      if (records && entry.origin === 'config') records.save(this.record(entry, 'stopped', true));
      this.deps.onRemoved?.(name);
    });
  }

  /** Graceful stop of every pipeline, in parallel; nothing is persisted (they run again after restart). */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((e) => e.pipeline.dispose()));
  }

  health(): HealthReport {
    const all = [...this.entries.values()].map((e) => e.pipeline);
    const failed = all
      .filter((p) => p.status === 'failed')
      .map((p) => ({ name: p.name, reason: p.failure?.message ?? 'failed', code: p.failure?.code ?? 'TIDEMARK_ERR_PIPELINE_FAILED' }));
    return { healthy: failed.length === 0, pipelines: all.length, failed };
  }

  private requireEntry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw notFound(name);
    return entry;
  }

  /** Checkpoints of removed sinks (or of a replaced source) would make a re-added sink skip events. */
  private async dropStaleCheckpoints(old: PipelineSpec, next: PipelineSpec): Promise<void> {
    const store = this.deps.backend.forPipeline(old.metadata.name);
    const sourceKept = old.spec.source.config.id === next.spec.source.config.id;
    const kept = new Set(next.spec.sinks.map((s) => s.config.id));
    for (const sink of old.spec.sinks) {
      if (sourceKept && kept.has(sink.config.id)) continue;
      await store.remove(sinkCheckpointKey(old.spec.source.config.id, sink.config.id));
    }
  }

  private persist(entry: Entry, desired: DesiredState): void {
    this.deps.records?.save(this.record(entry, desired, false));
  }

  private record(entry: Entry, desired: DesiredState, deleted: boolean) {
    return {
      format: 1 as const,
      name: entry.pipeline.name,
      origin: entry.origin,
      document: deleted ? null : entry.document,
      desired,
      base_config_sha256: entry.baseConfigSha256,
      deleted,
      updated_at: new Date().toISOString(),
    };
  }

  /** Runs `fn` after every earlier operation on the same pipeline has finished. */
  private exclusive<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const prior = this.locks.get(name) ?? Promise.resolve();
    const run = prior.catch(() => {}).then(fn);
    const tail = run.catch(() => {});
    this.locks.set(name, tail);
    void tail.then(() => {
      if (this.locks.get(name) === tail) this.locks.delete(name);
    });
    return run;
  }
}
