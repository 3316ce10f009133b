import type { ErrorDefinition } from '../definition.js';

export const DLQ_ERRORS = {
  TIDEMARK_ERR_DLQ_FULL: { kind: 'retryable', remedy: 'retry', help: 'The DLQ journal reached journal.dlq.max_entries. With overflow_policy block the sink waits (the pipeline is degraded); with reject the poison events that do not fit are lost, counted in tidemark_dlq_rejected_total, /health and the pipeline\'s ops.dlq_rejected. Ack or purge entries through the API, or raise max_entries.' },
  TIDEMARK_ERR_DLQ_WRITE: { kind: 'retryable', remedy: 'retry', help: 'The DLQ journal could not store poison events (SQLite I/O error, disk full). The batch is retried; check the data dir\'s disk and permissions.' },
  TIDEMARK_ERR_DLQ_OPEN: { kind: 'non-retryable', remedy: 'fix-config', help: 'The DLQ journal database could not be opened or created under <data-dir>/journal/. Check the path, permissions and free space.' },
  TIDEMARK_ERR_DLQ_CLOSED: { kind: 'retryable', remedy: 'retry', help: 'The DLQ journal was closed while a write waited (pipeline stopping). The batch is replayed on the next start.' },
} as const satisfies Record<string, ErrorDefinition>;
