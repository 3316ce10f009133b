import type { ProcessorSpec, SinkSpec, SourceSpec } from '../config/index.js';
import type { ProcessorMetrics } from '../metrics/hooks.js';
import type { Processor } from '../processors/processor.js';
import { createProcessor } from '../processors/registry.js';
import type { Sink, SinkContext } from '../sinks/sink.js';
import { createSink } from '../sinks/registry.js';
import type { SourceFactoryContext } from '../sources/registry.js';
import { createSource } from '../sources/registry.js';
import type { Source } from '../sources/source.js';

/** How a pipeline turns its spec into components; tests swap in doubles here. */
export interface ComponentFactory {
  source(spec: SourceSpec, ctx: SourceFactoryContext): Source;
  sink(spec: SinkSpec, ctx: SinkContext): Sink;
  processor(spec: ProcessorSpec, ctx: { pipeline: string }): Processor;
}

/** The registries: one line per source, sink and processor type. */
export const REGISTRY_COMPONENTS: ComponentFactory = {
  source: createSource,
  sink: createSink,
  processor: createProcessor,
};

/** Wraps a processor to report its per-batch latency and failures. */
export function timedProcessor(inner: Processor, metrics: ProcessorMetrics): Processor {
  return {
    id: inner.id,
    async process(events) {
      const started = performance.now();
      try {
        const out = await inner.process(events);
        metrics.latency((performance.now() - started) / 1000);
        return out;
      } catch (e) {
        metrics.failed();
        throw e;
      }
    },
    close: inner.close ? () => inner.close!() : undefined,
  };
}
