import { MARIADB_REPL } from '../native/mariadb-sql.js';

/**
 * Replication SQL of MySQL 8.4 (the official images' MySQL family); MariaDB's is in
 * native/mariadb-sql.ts. Users and database come from docker/scripts/mysql-init.sql.
 */

/** Replica wiring (GTID auto-position; the RSA key fetch lets caching_sha2 work without TLS). */
export function mysql8FollowSql(primaryHost: string, primaryPort: number): string[] {
  return [
    `CHANGE REPLICATION SOURCE TO SOURCE_HOST='${primaryHost}', SOURCE_PORT=${primaryPort}, SOURCE_USER='${MARIADB_REPL.user}', ` +
      `SOURCE_PASSWORD='${MARIADB_REPL.password}', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1`,
    'START REPLICA',
  ];
}

export const MYSQL8_PROMOTE_SQL: readonly string[] = ['STOP REPLICA', 'RESET REPLICA ALL', 'SET GLOBAL super_read_only = 0', 'SET GLOBAL read_only = 0'];
