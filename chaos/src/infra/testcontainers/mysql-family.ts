import { MARIADB_PROMOTE_SQL, MARIADB_ROOT, mariadbFollowSql } from '../native/mariadb-sql.js';
import { mysqlRun } from '../native/sql-clients.js';
import { waitUntilReady } from '../readiness.js';
import { waitMariadbReplicating } from '../replication.js';
import type { Endpoint } from '../types.js';
import { MYSQL8_PROMOTE_SQL, mysql8FollowSql } from './mysql8-sql.js';

/**
 * The MySQL family runs as MariaDB from the local images and as MySQL 8 from the official ones;
 * their replication SQL differs. The server says which it is, so any image works, including one
 * named by TIDEMARK_IMAGE_MYSQL.
 */
export type MysqlFlavour = 'mariadb' | 'mysql';

export async function mysqlFlavour(server: Endpoint): Promise<MysqlFlavour> {
  const [row] = await mysqlRun(server, MARIADB_ROOT, ['SELECT VERSION() AS version']);
  return /mariadb/i.test(String(row?.version)) ? 'mariadb' : 'mysql';
}

/** Points a replica at its primary (an address the replica's container can reach) and waits until it replicates. */
export async function followPrimary(replica: Endpoint, primary: Endpoint, what: string): Promise<MysqlFlavour> {
  const flavour = await mysqlFlavour(replica);
  if (flavour === 'mariadb') {
    await mysqlRun(replica, MARIADB_ROOT, mariadbFollowSql(primary));
    await waitMariadbReplicating(replica, what);
    return flavour;
  }
  await mysqlRun(replica, MARIADB_ROOT, mysql8FollowSql(primary.host, primary.port));
  await waitUntilReady(
    async () => {
      const [status] = await mysqlRun(replica, MARIADB_ROOT, ['SHOW REPLICA STATUS']);
      if (status?.Replica_IO_Running !== 'Yes' || status?.Replica_SQL_Running !== 'Yes') {
        throw new Error(`replication not running: IO=${status?.Replica_IO_Running} SQL=${status?.Replica_SQL_Running} ${status?.Last_IO_Error ?? ''}`);
      }
    },
    { what: `${what} replication`, timeoutMs: 30_000 },
  );
  return flavour;
}

export async function promoteReplica(replica: Endpoint, flavour: MysqlFlavour): Promise<void> {
  await mysqlRun(replica, MARIADB_ROOT, flavour === 'mariadb' ? MARIADB_PROMOTE_SQL : MYSQL8_PROMOTE_SQL);
}
