import type { ChangeEvent } from '../../../engine/src/event/index.js';
import { TidemarkError } from '../../../engine/src/errors/index.js';
import type { Source, SourceContext } from '../../../engine/src/sources/source.js';
import type { ComponentFactory } from '../../../engine/src/runtime/index.js';
import { generatedLog, MemorySink, MemorySource, type MemoryLog } from '../../../engine/src/testing/index.js';
import { waitFor } from '../../support/poll.js';

/** A valid pipeline document; its source/sink types are only labels for the test components. */
export function pipelineDoc(name: string, overrides: { labels?: Record<string, string>; sinks?: string[]; journal?: boolean; maxEvents?: number } = {}): Record<string, unknown> {
  return {
    apiVersion: 'tidemark/v1',
    kind: 'Pipeline',
    metadata: { name, tenant: 'acme', ...(overrides.labels ? { labels: overrides.labels } : {}) },
    spec: {
      source: { type: 'mysql', config: { id: 'src', dsn: 'mysql://app:s3cret-pw@127.0.0.1:1/shop' } },
      sinks: (overrides.sinks ?? ['out']).map((id) => ({ type: 'redis', config: { id, uri: 'redis://:redis-pw@127.0.0.1:1', stream: `${name}.${id}` } })),
      batch: { max_events: overrides.maxEvents ?? 10, max_ms: 20 },
      ...(overrides.journal ? { journal: { enabled: true } } : {}),
    },
  };
}

/** Scripted source behaviour per pipeline: its log, and how many starts fail before one connects. */
export interface TestSourcePlan {
  log: MemoryLog;
  failStarts?: number;
  /** Makes start() throw this (non-retryable) error instead. */
  fatal?: TidemarkError;
  chunkDelayMs?: number;
}

/**
 * Components for a PipelineManager under test: MemorySource/MemorySink doubles per pipeline,
 * kept across restarts so tests can see what a restarted pipeline re-delivered.
 */
export class TestComponents implements ComponentFactory {
  readonly sinks = new Map<string, MemorySink>();
  readonly sources: Array<{ pipeline: string; source: MemorySource }> = [];
  readonly plans = new Map<string, TestSourcePlan>();
  startAttempts = new Map<string, number>();

  plan(pipeline: string, plan: TestSourcePlan): void {
    this.plans.set(pipeline, plan);
  }

  sink: ComponentFactory['sink'] = (spec, ctx) => {
    const key = `${ctx.pipeline}/${spec.config.id}`;
    let sink = this.sinks.get(key);
    if (!sink) this.sinks.set(key, (sink = new MemorySink(spec.config.id, { required: spec.config.required })));
    return sink;
  };

  source: ComponentFactory['source'] = (spec, ctx) => {
    const plan = this.plans.get(ctx.pipeline) ?? { log: generatedLog({ events: 0, txSize: 1 }) };
    const source = new MemorySource(plan.log, { id: spec.config.id, chunk: 16, chunkDelayMs: plan.chunkDelayMs ?? 0 });
    this.sources.push({ pipeline: ctx.pipeline, source });
    return this.flaky(ctx.pipeline, source, plan);
  };

  processor: ComponentFactory['processor'] = (spec) => ({ id: spec.id, process: (events: readonly ChangeEvent[]) => events });

  delivered(pipeline: string, sinkId = 'out'): number[] {
    return (this.sinks.get(`${pipeline}/${sinkId}`)?.events ?? []).map((e) => (e.source.position as { offset: number }).offset);
  }

  private flaky(pipeline: string, source: MemorySource, plan: TestSourcePlan): Source {
    const start = source.start.bind(source);
    source.start = async (ctx: SourceContext) => {
      const attempt = (this.startAttempts.get(pipeline) ?? 0) + 1;
      this.startAttempts.set(pipeline, attempt);
      if (plan.fatal) throw plan.fatal;
      if (attempt <= (plan.failStarts ?? 0)) throw new TidemarkError('TIDEMARK_ERR_SOURCE_CONNECT', `connect ECONNREFUSED mysql://app:s3cret-pw@127.0.0.1:1 (attempt ${attempt})`, { kind: 'retryable' });
      return start(ctx);
    };
    return source;
  }
}

export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  await waitFor(what, check, { timeoutMs, intervalMs: 10 });
}
