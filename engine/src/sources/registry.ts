import type { SourceSpec } from '../config/index.js';
import { TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { Source } from './source.js';
import { createMysqlSource } from './mysql/index.js';
import { createPostgresSource } from './postgres/index.js';

export interface SourceFactoryContext {
  readonly pipeline: string;
  readonly tenant: string;
  readonly logger: Logger;
}

type ConfigOf<T extends SourceSpec['type']> = Extract<SourceSpec, { type: T }>['config'];
export type SourceFactory<T extends SourceSpec['type']> = (config: ConfigOf<T>, ctx: SourceFactoryContext) => Source;

/** One line per source type. */
const FACTORIES: { [K in SourceSpec['type']]?: SourceFactory<K> } = {
  mysql: createMysqlSource,
  postgres: (config) => createPostgresSource(config),
};

export function createSource(spec: SourceSpec, ctx: SourceFactoryContext): Source {
  const factory = FACTORIES[spec.type] as SourceFactory<typeof spec.type> | undefined;
  if (!factory) throw new TidemarkError('TIDEMARK_ERR_CONFIG_UNSUPPORTED', `source type ${spec.type} is not available in this build`, { context: { pipeline: ctx.pipeline } });
  return factory(spec.config as never, ctx);
}
