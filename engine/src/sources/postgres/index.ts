/** PostgreSQL logical-replication source (pgoutput). */
import type { PostgresSourceConfig } from '../../config/index.js';
import { PostgresSource, type PostgresSourceOptions } from './postgres-source.js';

export { PostgresSource, type PostgresSourceOptions } from './postgres-source.js';
export { comparePgPositions, type PgPosition } from './position.js';
export { UNCHANGED_TOAST_VALUE, unchangedToastColumns } from './rows.js';
export { parseDsn } from './dsn.js';

export function createPostgresSource(config: PostgresSourceConfig, options?: PostgresSourceOptions): PostgresSource {
  return new PostgresSource(config, options);
}
