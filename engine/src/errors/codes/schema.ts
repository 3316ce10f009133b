import type { ErrorDefinition } from '../definition.js';

/** Schema registry (Avro encoding) and schema sensing. */
export const SCHEMA_ERRORS = {
  TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE: { kind: 'retryable', remedy: 'retry', help: 'The schema registry could not be reached (or answered 5xx) while a batch needed a schema it had not registered yet. The batch waits and is retried with backoff; events whose schemas are cached keep flowing. Check the registry and the network path to it.' },
  TIDEMARK_ERR_SCHEMA_INCOMPATIBLE: { kind: 'non-retryable', remedy: 'fix-config', help: 'The schema registry rejected a new schema version under its compatibility rules (e.g. a NOT NULL column added under BACKWARD). The message names the subject and the registry\'s reason. Relax the subject\'s compatibility (PUT /config/{subject}) or change the DDL, then resume the pipeline.' },
  TIDEMARK_ERR_SCHEMA_REGISTRY_REJECTED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The schema registry refused a request for a reason retrying cannot fix: bad credentials (401/403), an invalid schema (422) or an unknown subject. The message carries the registry\'s answer.' },
} as const satisfies Record<string, ErrorDefinition>;
