export * from './event/index.js';
export * from './errors/index.js';
export * from './config/index.js';
export * from './checkpoints/index.js';
export type { Source, SourceContext } from './sources/source.js';
export type { Sink, SinkContext, DeliveryReport, PoisonedEvent } from './sinks/sink.js';
export * from './metrics/hooks.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './logging/logger.js';
