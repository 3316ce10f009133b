import type { ErrorDefinition } from '../definition.js';

export const DLQ_ERRORS = {
  TIDEMARK_ERR_DLQ_FULL: { kind: 'retryable', remedy: 'retry', help: 'The DLQ is full and overflow_policy is block. Ack entries through the API to make room.' },
  TIDEMARK_ERR_DLQ_WRITE: { kind: 'retryable', remedy: 'retry', help: 'The DLQ journal could not store poison events (SQLite I/O error, disk full). The batch is retried; check the data dir\'s disk and permissions.' },
  TIDEMARK_ERR_DLQ_OPEN: { kind: 'non-retryable', remedy: 'fix-config', help: 'The DLQ journal database could not be opened or created under <data-dir>/journal/. Check the path, permissions and free space.' },
  TIDEMARK_ERR_DLQ_CLOSED: { kind: 'retryable', remedy: 'retry', help: 'The DLQ journal was closed while a write waited (pipeline stopping). The batch is replayed on the next start.' },
} as const satisfies Record<string, ErrorDefinition>;
