import type { ErrorDefinition } from '../definition.js';

export const DLQ_ERRORS = {
  TIDEMARK_ERR_DLQ_FULL: { kind: 'retryable', remedy: 'retry', help: 'The DLQ is full and overflow_policy is block. Ack entries through the API to make room.' },
} as const satisfies Record<string, ErrorDefinition>;
