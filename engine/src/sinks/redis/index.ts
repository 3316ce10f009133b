import type { RedisSinkConfig } from '../../config/index.js';
import type { Sink, SinkContext } from '../sink.js';
import { RedisSink } from './redis-sink.js';

export { RedisSink } from './redis-sink.js';
export { checkpointKey } from './exactly-once.js';

export const createRedisSink = (config: RedisSinkConfig, ctx: SinkContext): Sink => new RedisSink(config, ctx);
