import type { NatsSinkConfig } from '../../config/index.js';
import type { Sink, SinkContext } from '../sink.js';
import { NatsSink } from './nats-sink.js';

export { NatsSink } from './nats-sink.js';

export const createNatsSink = (config: NatsSinkConfig, ctx: SinkContext): Sink => new NatsSink(config, ctx);
