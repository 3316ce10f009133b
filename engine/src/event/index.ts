export * from './change-event.js';
export * from './batch.js';
export * from './idempotency.js';
