import type { ErrorDefinition } from '../definition.js';

/** MySQL/MariaDB source errors beyond the generic TIDEMARK_ERR_SOURCE_* ones. */
export const MYSQL_ERRORS = {
  TIDEMARK_ERR_MYSQL_DSN: { kind: 'non-retryable', remedy: 'fix-config', help: 'source.config.dsn is not a mysql://user:password@host:port/database URL, or carries query parameters (not supported). Fix the DSN.' },
  TIDEMARK_ERR_MYSQL_SERVER_ID_CONFLICT: { kind: 'non-retryable', remedy: 'fix-config', help: 'Another replica or CDC reader connected to the server with the same server_id and took over the binlog stream. Give every pipeline reading this server its own source id or server_id.' },
  TIDEMARK_ERR_MYSQL_UNSUPPORTED_BINLOG: { kind: 'non-retryable', remedy: 'fix-config', help: 'The binlog holds events the reader cannot decode (binlog_transaction_compression=ON or binlog_row_value_options=PARTIAL_JSON). Turn those settings off on the server.' },
  TIDEMARK_ERR_MYSQL_SNAPSHOT_LOCK: { kind: 'non-retryable', remedy: 'fix-config', help: 'A MySQL snapshot holds writes back for a moment (FLUSH TABLES WITH READ LOCK, else LOCK TABLES ... READ on the captured tables) while its workers start, to learn the binlog position their snapshots match; both were refused. Grant RELOAD, or LOCK TABLES on the captured schemas. (MariaDB needs neither.)' },
} as const satisfies Record<string, ErrorDefinition>;
