import { POSTGRES_SUPERUSER } from './native/postgres.js';
import { MARIADB_ROOT } from './native/mariadb-sql.js';
import { mysqlRun, pgRun } from './native/sql-clients.js';
import { waitUntilReady } from './readiness.js';
import type { Endpoint } from './types.js';

/**
 * Replication checks and promotion shared by the native and testcontainers providers: both run
 * the same replicas, only where the servers live differs.
 */

/** Waits until a MariaDB replica's IO and SQL threads both run. */
export async function waitMariadbReplicating(replica: Endpoint, what: string, logFile?: string): Promise<void> {
  await waitUntilReady(
    async () => {
      const [status] = await mysqlRun(replica, MARIADB_ROOT, ['SHOW SLAVE STATUS']);
      if (status?.Slave_IO_Running !== 'Yes' || status?.Slave_SQL_Running !== 'Yes') {
        throw new Error(`replication not running: IO=${status?.Slave_IO_Running} SQL=${status?.Slave_SQL_Running} ${status?.Last_IO_Error ?? ''}`);
      }
    },
    { what: `${what} replication`, timeoutMs: 30_000, ...(logFile ? { logFile } : {}) },
  );
}

/** Waits until the primary reports a streaming standby. */
export async function waitStandbyStreaming(primary: Endpoint, what: string, logFile?: string): Promise<void> {
  await waitUntilReady(
    async () => {
      const rows = await pgRun(primary, POSTGRES_SUPERUSER, ["SELECT state FROM pg_stat_replication WHERE state = 'streaming'"]);
      if (rows.length === 0) throw new Error('standby not streaming yet');
    },
    { what: `${what} streaming replication`, timeoutMs: 30_000, ...(logFile ? { logFile } : {}) },
  );
}

/** pg_promote, waiting for the end of recovery. */
export async function promotePostgres(standby: Endpoint, what: string): Promise<void> {
  const [row] = await pgRun(standby, POSTGRES_SUPERUSER, ['SELECT pg_promote(true, 60) AS promoted']);
  if (row?.promoted !== true) throw new Error(`${what}: pg_promote did not complete within 60 s; see its log`);
}
