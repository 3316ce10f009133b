import type { Credentials, Endpoint } from '../types.js';

/** Accounts every MariaDB instance has (created in the template, so primary and replica agree). */
export const MARIADB_ROOT: Credentials = { user: 'root', password: '', database: 'tidemark' };
export const MARIADB_CDC: Credentials = { user: 'cdc', password: 'cdcpw', database: 'tidemark' };
export const MARIADB_REPL = { user: 'repl', password: 'replpw' } as const;

/**
 * Run once on the template server, which has no binlog, so no GTID is spent: copies of the
 * template then start with an empty GTID state and a replica can follow from the beginning.
 */
export const MARIADB_TEMPLATE_SQL: readonly string[] = [
  `CREATE USER '${MARIADB_CDC.user}'@'%' IDENTIFIED BY '${MARIADB_CDC.password}'`,
  `GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, RELOAD, SHOW DATABASES, LOCK TABLES ON *.* TO '${MARIADB_CDC.user}'@'%'`,
  `CREATE USER '${MARIADB_REPL.user}'@'%' IDENTIFIED BY '${MARIADB_REPL.password}'`,
  `GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${MARIADB_REPL.user}'@'%'`,
  `CREATE DATABASE ${MARIADB_ROOT.database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
];

/** Points a replica at its primary by GTID (slave_pos: continue from what it has applied). */
export function mariadbFollowSql(primary: Endpoint): string[] {
  return [
    `CHANGE MASTER TO MASTER_HOST='${primary.host}', MASTER_PORT=${primary.port}, MASTER_USER='${MARIADB_REPL.user}', ` +
      `MASTER_PASSWORD='${MARIADB_REPL.password}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1`,
    'SET GLOBAL read_only=1',
    'START SLAVE',
  ];
}

/** Turns a replica into a writable primary. */
export const MARIADB_PROMOTE_SQL: readonly string[] = ['STOP SLAVE', 'RESET SLAVE ALL', 'SET GLOBAL read_only=0'];
