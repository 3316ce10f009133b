import type { ErrorDefinition } from '../definition.js';

export const SINK_ERRORS = {
  TIDEMARK_ERR_SINK_UNAVAILABLE: { kind: 'retryable', remedy: 'retry', help: 'The sink could not be reached or timed out. The batch is retried with backoff; nothing advances until it is acknowledged.' },
  TIDEMARK_ERR_SINK_REJECTED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The sink refused the batch for a reason retrying cannot fix (4xx, unknown topic, bad request). Fix the sink configuration.' },
  TIDEMARK_ERR_SINK_AUTH: { kind: 'non-retryable', remedy: 'fix-config', help: 'The sink rejected the credentials. Fix them in the sink config.' },
  TIDEMARK_ERR_SINK_FENCED: { kind: 'fatal', remedy: 'fatal', help: 'Another producer with the same transactional id took over (Kafka producer fenced). Make sure only one engine runs this pipeline.' },
  TIDEMARK_ERR_SINK_SERIALIZATION: { kind: 'poison', remedy: 'dlq', help: 'One event could not be encoded. It goes to the DLQ when the journal is enabled; the rest of the batch is delivered.' },
  TIDEMARK_ERR_SINK_ROUTING: { kind: 'poison', remedy: 'dlq', help: 'A routing template (topic, stream, subject, key, url) resolved to an empty or invalid value for one event.' },
  TIDEMARK_ERR_SINK_TOO_LARGE: { kind: 'poison', remedy: 'dlq', help: 'One event exceeds the sink\'s maximum message size.' },
} as const satisfies Record<string, ErrorDefinition>;
