import type { ProcessorSpec } from '../config/index.js';
import { filterProcessor } from './filter/filter-processor.js';
import { flattenProcessor } from './flatten/flatten-processor.js';
import { javascriptProcessor } from './javascript/javascript-processor.js';
import { outboxProcessor } from './outbox/outbox-processor.js';
import type { Processor, ProcessorContext } from './processor.js';

type SpecOf<T extends ProcessorSpec['type']> = Extract<ProcessorSpec, { type: T }>;
export type ProcessorFactory<T extends ProcessorSpec['type']> = (spec: SpecOf<T>, ctx: ProcessorContext) => Processor;

/** One line per processor type. */
const FACTORIES: { [K in ProcessorSpec['type']]: ProcessorFactory<K> } = {
  javascript: javascriptProcessor,
  filter: filterProcessor,
  flatten: flattenProcessor,
  outbox: outboxProcessor,
};

export function createProcessor(spec: ProcessorSpec, ctx: ProcessorContext): Processor {
  const factory = FACTORIES[spec.type] as ProcessorFactory<typeof spec.type>;
  return factory(spec as never, ctx);
}
