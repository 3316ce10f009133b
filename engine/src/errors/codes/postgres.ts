import type { ErrorDefinition } from '../definition.js';

/** Postgres-source specifics; the general source codes (connect, auth, position lost, ...) are in source.ts. */
export const POSTGRES_ERRORS = {
  TIDEMARK_ERR_POSTGRES_SLOT_IN_USE: { kind: 'retryable', remedy: 'reconnect', help: 'The replication slot is active for another connection (a second engine running this pipeline, or a walsender the server has not reaped yet). Retried with backoff; make sure only one engine runs the pipeline.' },
  TIDEMARK_ERR_POSTGRES_SLOT_MISSING: { kind: 'non-retryable', remedy: 'fix-config', help: 'The replication slot does not exist and create_slot is false. Create it (pg_create_logical_replication_slot(name, \'pgoutput\')) or set create_slot: true.' },
  TIDEMARK_ERR_POSTGRES_PUBLICATION_MISSING: { kind: 'non-retryable', remedy: 'fix-config', help: 'The publication does not exist and create_publication is false. Create it (CREATE PUBLICATION name FOR TABLE ...) or set create_publication: true.' },
  TIDEMARK_ERR_POSTGRES_BAD_POSITION: { kind: 'fatal', remedy: 'fix-config', help: 'A stored checkpoint under this source id is not a Postgres position (another source type wrote it, or it was edited). Give the source a new id or remove the checkpoint.' },
} as const satisfies Record<string, ErrorDefinition>;
