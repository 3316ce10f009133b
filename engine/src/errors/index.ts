export * from './registry.js';
export * from './tidemark-error.js';
export { renderErrorsMarkdown } from './render-docs.js';
