import type { Row } from '../../../event/index.js';
import type { MysqlDsn } from '../config/dsn.js';
import { planFromFields, type ColumnPlan } from '../protocol/column-kinds.js';
import { openControl, type Control, type Timeouts } from '../server/control.js';
import type { Connection as CallbackConnection } from 'mysql2';
import { integerKeyColumn, type RegisteredSchema } from '../schema/table-schema.js';
import type { Channel } from './channel.js';
import type { StoredPoint } from './snapshot-record.js';

/** Rows of one table, in key order when the table has an integer key. */
export interface TableChunk {
  readonly tableIndex: number;
  readonly rows: Row[];
  readonly plan: ColumnPlan;
  /** The table has no rows after these. */
  readonly done: boolean;
}

export interface TableJob {
  readonly index: number;
  readonly schema: RegisteredSchema;
}

export const quoteIdent = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** One connection holding one consistent snapshot, reading its share of the tables. */
export class SnapshotWorker {
  private constructor(private readonly control: Control) {}

  static async open(dsn: MysqlDsn, timeouts: Timeouts): Promise<SnapshotWorker> {
    // Reads may take long; the per-query timeout is for control statements, not table scans.
    const control = await openControl(dsn, { connectMs: timeouts.connectMs, queryMs: 0 });
    return new SnapshotWorker(control);
  }

  async begin(): Promise<void> {
    await this.control.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await this.control.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  }

  /**
   * MariaDB reports the binlog position its consistent snapshot corresponds to exactly
   * (Binlog_snapshot_file/position), and BINLOG_GTID_POS turns it into a GTID position: every
   * worker knows its own hand-over point without any lock.
   */
  async mariadbPoint(serverId: number): Promise<StoredPoint> {
    const rows = await this.control.query<{ Variable_name: string; Value: string }>("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
    const status = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
    const file = status.get('binlog_snapshot_file') ?? '';
    const pos = Number(status.get('binlog_snapshot_position') ?? 0);
    if (!file) throw new Error('the server reported no Binlog_snapshot_file for the consistent snapshot: is log_bin on?');
    const [g] = await this.control.query<{ gtid: string | null }>('SELECT BINLOG_GTID_POS(?, ?) AS gtid', [file, pos]);
    return { serverId, gtidSet: g?.gtid ?? '', file, pos };
  }

  /** Reads `jobs` in order into `out`; ends the channel when done. */
  async read(jobs: readonly TableJob[], chunkSize: number, out: Channel<TableChunk>, signal: AbortSignal): Promise<void> {
    try {
      for (const job of jobs) {
        if (signal.aborted) break;
        if (integerKeyColumn(job.schema)) await this.readByKey(job, chunkSize, out, signal);
        else await this.readScan(job, chunkSize, out, signal);
      }
      out.end();
    } catch (e) {
      out.fail(e);
    }
  }

  async close(): Promise<void> {
    await this.control.close();
  }

  /** Keyset pages over an integer primary key: each page is an index range scan. */
  private async readByKey(job: TableJob, chunkSize: number, out: Channel<TableChunk>, signal: AbortSignal): Promise<void> {
    const key = integerKeyColumn(job.schema)!.name;
    const from = `${quoteIdent(job.schema.db)}.${quoteIdent(job.schema.table)}`;
    let last: unknown = null;
    let plan: ColumnPlan | null = null;
    for (;;) {
      if (signal.aborted) return;
      const where = last === null ? '' : `WHERE ${quoteIdent(key)} > ?`;
      const [rows, fields] = await this.control.connection.query({ sql: `SELECT * FROM ${from} ${where} ORDER BY ${quoteIdent(key)} LIMIT ${chunkSize}` }, last === null ? [] : [last]);
      const page = rows as Row[];
      plan ??= planFromFields(fields as never);
      const done = page.length < chunkSize;
      if (page.length > 0) last = page[page.length - 1]![key];
      await out.push({ tableIndex: job.index, rows: page, plan, done });
      if (done) return;
    }
  }

  /** Tables without an integer key: one streamed scan, cut into chunks. */
  private async readScan(job: TableJob, chunkSize: number, out: Channel<TableChunk>, signal: AbortSignal): Promise<void> {
    // The promise wrapper has no streaming API; its callback connection does.
    const raw = (this.control.connection as unknown as { connection: CallbackConnection }).connection;
    const query = raw.query(`SELECT * FROM ${quoteIdent(job.schema.db)}.${quoteIdent(job.schema.table)}`);
    let plan: ColumnPlan | null = null;
    query.on('fields', (fields: unknown) => (plan = planFromFields(fields as never)));
    let chunk: Row[] = [];
    for await (const row of query.stream({ highWaterMark: Math.min(chunkSize, 1000) })) {
      if (signal.aborted) return;
      chunk.push(row as Row);
      if (chunk.length >= chunkSize) {
        await out.push({ tableIndex: job.index, rows: chunk, plan: plan!, done: false });
        chunk = [];
      }
    }
    await out.push({ tableIndex: job.index, rows: chunk, plan: plan ?? { special: [], bufferColumns: [] }, done: true });
  }
}
