import { MARIADB_CDC, MARIADB_REPL } from '../native/mariadb-sql.js';

/**
 * Init script for the mysql:8.4 containers. Nothing in it is binlogged, so primary and replica
 * start with identical users and no GTIDs of their own, and auto-positioning replays only what
 * the primary did after start (an init statement replayed on the replica would fail: user exists).
 */
export const MYSQL8_INIT_SQL = `SET SESSION sql_log_bin = 0;
CREATE USER '${MARIADB_CDC.user}'@'%' IDENTIFIED BY '${MARIADB_CDC.password}';
GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, RELOAD, SHOW DATABASES, LOCK TABLES ON *.* TO '${MARIADB_CDC.user}'@'%';
CREATE USER '${MARIADB_REPL.user}'@'%' IDENTIFIED BY '${MARIADB_REPL.password}';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${MARIADB_REPL.user}'@'%';
CREATE DATABASE IF NOT EXISTS tidemark CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
`;

/** Replica wiring for MySQL 8.4 (GTID auto-position; the RSA key fetch lets caching_sha2 work without TLS). */
export function mysql8FollowSql(primaryHost: string, primaryPort: number): string[] {
  return [
    `CHANGE REPLICATION SOURCE TO SOURCE_HOST='${primaryHost}', SOURCE_PORT=${primaryPort}, SOURCE_USER='${MARIADB_REPL.user}', ` +
      `SOURCE_PASSWORD='${MARIADB_REPL.password}', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1`,
    'START REPLICA',
  ];
}

export const MYSQL8_PROMOTE_SQL: readonly string[] = ['STOP REPLICA', 'RESET REPLICA ALL', 'SET GLOBAL super_read_only = 0', 'SET GLOBAL read_only = 0'];
