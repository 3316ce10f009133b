export * from './pipeline-spec.js';
export * from './sources.js';
export * from './sinks.js';
export * from './processors.js';
export * from './load.js';
export * from './redact.js';
export * from './env-expand.js';
export { show } from './primitives.js';
