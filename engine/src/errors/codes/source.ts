import type { ErrorDefinition } from '../definition.js';

export const SOURCE_ERRORS = {
  TIDEMARK_ERR_SOURCE_CONNECT: { kind: 'retryable', remedy: 'reconnect', help: 'The source database could not be reached or dropped the connection. The engine reconnects with backoff.' },
  TIDEMARK_ERR_SOURCE_AUTH: { kind: 'non-retryable', remedy: 'fix-config', help: 'The source rejected the credentials or lacks a privilege (REPLICATION, REPLICATION SLAVE/CLIENT, SELECT). Grant it or fix the DSN.' },
  TIDEMARK_ERR_SOURCE_MISCONFIGURED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The source server is not set up for CDC (binlog off or not ROW; wal_level not logical). The message says which setting to change.' },
  TIDEMARK_ERR_SOURCE_POSITION_LOST: { kind: 'fatal', remedy: 'resnapshot', help: 'The checkpointed position no longer exists on the server (binlog purged, RESET MASTER, slot dropped or invalidated, failover to a server without our position). Re-snapshot required.' },
  TIDEMARK_ERR_SOURCE_SCHEMA_DRIFT: { kind: 'fatal', remedy: 'fix-config', help: 'After a server change the table schemas differ from the stored ones and on_schema_drift is halt. Inspect the drift, then set adapt or re-snapshot.' },
  TIDEMARK_ERR_SOURCE_DECODE: { kind: 'non-retryable', remedy: 'fatal', help: 'A change could not be decoded from the replication stream. Report it with the position in the message.' },
  TIDEMARK_ERR_SOURCE_TABLE_MISSING: { kind: 'non-retryable', remedy: 'fix-config', help: 'A table named in source.tables does not exist. Fix the pattern or create the table.' },
} as const satisfies Record<string, ErrorDefinition>;
