import type { ProcessorSpec } from '../config/index.js';
import { TidemarkError } from '../errors/index.js';
import type { Processor } from './processor.js';

type SpecOf<T extends ProcessorSpec['type']> = Extract<ProcessorSpec, { type: T }>;
export type ProcessorFactory<T extends ProcessorSpec['type']> = (spec: SpecOf<T>, ctx: { pipeline: string }) => Processor;

/** One line per processor type. */
const FACTORIES: { [K in ProcessorSpec['type']]?: ProcessorFactory<K> } = {};

export function createProcessor(spec: ProcessorSpec, ctx: { pipeline: string }): Processor {
  const factory = FACTORIES[spec.type] as ProcessorFactory<typeof spec.type> | undefined;
  if (!factory) throw new TidemarkError('TIDEMARK_ERR_CONFIG_UNSUPPORTED', `processor type ${spec.type} (${spec.id}) is not available in this build`, { context: { pipeline: ctx.pipeline } });
  return factory(spec as never, ctx);
}
