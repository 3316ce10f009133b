export * from './memory-source.js';
export * from './memory-sink.js';
export * from './null-sink.js';
export * from './generated-log.js';
