import type pg from 'pg';
import { closeClient, openClient } from './connect.js';
import type { PgConnectionSettings } from './dsn.js';
import { parseLsn, type Lsn } from './lsn.js';
import { quoteIdent } from './table-patterns.js';

export interface SystemIdentity {
  /** pg_control's system identifier: the same on a cluster and its physical standbys. */
  readonly systemId: string;
  /** Incremented by every promotion. */
  readonly timeline: number;
  readonly walPosition: Lsn;
  readonly database: string;
}

export interface CreatedSlot {
  readonly name: string;
  /** Transactions committing at or after this LSN are decoded; the exported snapshot sees the rest. */
  readonly consistentPoint: Lsn;
  /** Valid only while this connection stays open and idle. */
  readonly snapshotName: string | null;
}

/** A `replication=database` connection: replication commands, then at most one stream. */
export class ReplicationConnection {
  private constructor(readonly client: pg.Client) {}

  static async open(settings: PgConnectionSettings, applicationName: string, onError?: (e: Error) => void): Promise<ReplicationConnection> {
    return new ReplicationConnection(await openClient(settings, { replication: true, applicationName }, onError));
  }

  async identifySystem(): Promise<SystemIdentity> {
    const { rows } = await this.client.query<{ systemid: string; timeline: number; xlogpos: string; dbname: string }>('IDENTIFY_SYSTEM');
    const r = rows[0]!;
    return { systemId: String(r.systemid), timeline: Number(r.timeline), walPosition: parseLsn(r.xlogpos), database: r.dbname };
  }

  /**
   * CREATE_REPLICATION_SLOT (Postgres 15 syntax). With `exportSnapshot` the snapshot stays
   * importable (SET TRANSACTION SNAPSHOT) until this connection runs another command or closes.
   */
  async createSlot(name: string, o: { temporary?: boolean; exportSnapshot: boolean }): Promise<CreatedSlot> {
    const sql = `CREATE_REPLICATION_SLOT ${quoteIdent(name)}${o.temporary ? ' TEMPORARY' : ''} LOGICAL pgoutput (SNAPSHOT '${o.exportSnapshot ? 'export' : 'nothing'}')`;
    const { rows } = await this.client.query<{ slot_name: string; consistent_point: string; snapshot_name: string | null }>(sql);
    const r = rows[0]!;
    return { name: r.slot_name, consistentPoint: parseLsn(r.consistent_point), snapshotName: r.snapshot_name };
  }

  close(): Promise<void> {
    return closeClient(this.client);
  }
}
