/**
 * Admin actions the workload tests take against the source from the side: kill a session, make
 * COMMIT hang (and let it go), see whether a session is stuck in COMMIT.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ConnectionOptions, SourceKind } from '../../../chaos/src/workload/index.js';

export interface SourceAdmin {
  kill(sessionId: number): Promise<void>;
  /**
   * COMMIT waits for an acknowledgement that never comes: MariaDB semi-sync with no replica,
   * Postgres synchronous_standby_names naming a standby that does not exist. The txn is
   * committed locally first, so killing the session then leaves a committed txn whose client
   * never heard back: the textbook indeterminate outcome.
   */
  hangCommits(): Promise<void>;
  releaseCommits(): Promise<void>;
  /** Whether the session is waiting in COMMIT for that acknowledgement. */
  stuckInCommit(sessionId: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function sourceAdmin(source: SourceKind, connection: ConnectionOptions): Promise<SourceAdmin> {
  if (source === 'mysql') {
    const c = await mysql.createConnection(connection);
    return {
      kill: async (id) => void (await c.query(`KILL ${Number(id)}`)),
      async hangCommits() {
        await c.query('SET GLOBAL rpl_semi_sync_master_timeout = 600000');
        await c.query('SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON');
        await c.query('SET GLOBAL rpl_semi_sync_master_enabled = ON');
      },
      releaseCommits: async () => void (await c.query('SET GLOBAL rpl_semi_sync_master_enabled = OFF')),
      async stuckInCommit(id) {
        const [rows] = await c.query('SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
        return (rows as { STATE: string }[]).some((r) => /semi-sync ACK/i.test(r.STATE));
      },
      close: () => c.end(),
    };
  }
  const c = new pg.Client(connection);
  await c.connect();
  const setStandbys = async (value: string | null) => {
    await c.query(value === null ? 'ALTER SYSTEM RESET synchronous_standby_names' : `ALTER SYSTEM SET synchronous_standby_names = '${value}'`);
    await c.query('SELECT pg_reload_conf()');
  };
  return {
    kill: async (id) => void (await c.query('SELECT pg_terminate_backend($1)', [id])),
    hangCommits: () => setStandbys('nobody'),
    releaseCommits: () => setStandbys(null),
    async stuckInCommit(id) {
      const { rows } = await c.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'SyncRep'", [id]);
      return rows.length > 0;
    },
    close: () => c.end(),
  };
}
