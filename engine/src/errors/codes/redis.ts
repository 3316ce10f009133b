import type { ErrorDefinition } from '../definition.js';

export const REDIS_ERRORS = {
  TIDEMARK_ERR_REDIS_OOM: { kind: 'retryable', remedy: 'retry', help: 'Redis refused the write (OOM command not allowed). Nothing of the batch was kept by the exactly-once script; raise maxmemory or trim streams, the batch is retried.' },
  TIDEMARK_ERR_REDIS_READONLY: { kind: 'retryable', remedy: 'reconnect', help: 'The uri points at a read-only replica (READONLY). Point it at the primary; the batch is retried meanwhile, e.g. until a failover completes.' },
  TIDEMARK_ERR_REDIS_WRONGTYPE: { kind: 'non-retryable', remedy: 'fix-config', help: 'A stream name resolves to a Redis key that holds another type (WRONGTYPE). Rename the stream template or delete the key.' },
  TIDEMARK_ERR_REDIS_CHECKPOINT_CONFLICT: { kind: 'retryable', remedy: 'retry', help: 'The exactly-once checkpoint key changed under the sink (a lost acknowledgement, or another engine writing the same pipeline and sink). The sink re-reads it and sends only what is missing; if it persists, make sure only one engine runs this pipeline.' },
} as const satisfies Record<string, ErrorDefinition>;
