import type { ProcessorSpec, SinkSpec, SourceSpec } from '../config/index.js';
import type { Processor, ProcessorContext } from '../processors/processor.js';
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
  processor(spec: ProcessorSpec, ctx: ProcessorContext): Processor;
}

/** The registries: one line per source, sink and processor type. */
export const REGISTRY_COMPONENTS: ComponentFactory = {
  source: createSource,
  sink: createSink,
  processor: createProcessor,
};
