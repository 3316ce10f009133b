import type { HttpSinkConfig } from '../../config/index.js';
import type { Sink, SinkContext } from '../sink.js';
import { HttpSink } from './http-sink.js';

export { HttpSink } from './http-sink.js';
export { parseRetryAfter, statusError } from './status.js';

export const createHttpSink = (config: HttpSinkConfig, ctx: SinkContext): Sink => new HttpSink(config, ctx);
