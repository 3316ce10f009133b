export * from './change-event.js';
export * from './batch.js';
export * from './idempotency.js';
export * from './envelopes.js';
export * from './encoding.js';
export * from './routing.js';
export * from './headers.js';
