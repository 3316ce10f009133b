import type { SinkSpec } from '../config/index.js';
import { TidemarkError } from '../errors/index.js';
import type { Sink, SinkContext } from './sink.js';
import { createHttpSink } from './http/index.js';
import { createKafkaSink } from './kafka/index.js';
import { createNatsSink } from './nats/index.js';
import { createRedisSink } from './redis/index.js';

type ConfigOf<T extends SinkSpec['type']> = Extract<SinkSpec, { type: T }>['config'];
export type SinkFactory<T extends SinkSpec['type']> = (config: ConfigOf<T>, ctx: SinkContext) => Sink;

/** One line per sink type. */
const FACTORIES: { [K in SinkSpec['type']]?: SinkFactory<K> } = {
  http: createHttpSink,
  kafka: createKafkaSink,
  nats: createNatsSink,
  redis: createRedisSink,
};

export function createSink(spec: SinkSpec, ctx: SinkContext): Sink {
  const factory = FACTORIES[spec.type] as SinkFactory<typeof spec.type> | undefined;
  if (!factory) throw new TidemarkError('TIDEMARK_ERR_CONFIG_UNSUPPORTED', `sink type ${spec.type} is not available in this build`, { context: { pipeline: ctx.pipeline, sink: spec.config.id } });
  return factory(spec.config as never, ctx);
}
