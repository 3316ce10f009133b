export * from './registry.js';
export * from './tidemark-error.js';
