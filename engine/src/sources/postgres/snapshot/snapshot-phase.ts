import type { ChangeEvent } from '../../../event/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { Retrier } from '../../../util/retry/index.js';
import type { TableInfo } from '../server/catalog.js';
import type { PgConnectionSettings } from '../dsn.js';
import { formatLsn, type Lsn } from '../lsn.js';
import type { PgPosition } from '../position.js';
import { ReplicationConnection } from '../replication-connection.js';
import type { TableSchema } from '../schema-registry.js';
import { qualifiedText } from '../table-patterns.js';
import type { PauseGate } from './pause-gate.js';
import { readSnapshot } from './snapshot-reader.js';
import type { SnapshotRecord, SnapshotStore, TableProgress } from './snapshot-state.js';

/** A connection holding an exported snapshot, and the LSN it corresponds to. */
export interface Exporter {
  readonly connection: ReplicationConnection;
  readonly snapshotName: string;
  readonly lsn: Lsn;
}

export interface SnapshotPhaseOptions {
  readonly epoch: number;
  readonly anchor: PgPosition;
  readonly read: readonly string[];
  readonly keep: Readonly<Record<string, TableProgress>>;
  /** The snapshot exported when the slot was just created, if it was. */
  readonly exporter: Exporter | null;
  /** A fresh exported snapshot (a temporary slot's). */
  readonly openExporter: () => Promise<Exporter>;
  readonly tables: ReadonlyMap<string, TableInfo>;
  readonly store: SnapshotStore;
  /** Called whenever the record changes, so the stream filter follows it. */
  readonly onRecord: (record: SnapshotRecord) => void;
  /** Decides, after a failed attempt, whether to read the unfinished tables again. */
  readonly retrier: Retrier;
  readonly settings: PgConnectionSettings;
  readonly applicationName: string;
  readonly chunkSize: number;
  readonly parallelism: number;
  readonly gate: PauseGate;
  readonly signal: AbortSignal;
  readonly sourceId: string;
  readonly database: string;
  readonly schemaOf: (table: TableInfo) => TableSchema;
  readonly emit: (event: ChangeEvent) => void;
  readonly logger: Logger;
}

/**
 * Runs a snapshot to completion: records which tables it reads at which LSN before reading
 * (the stream filter uses it), marks each table done as its last row is emitted, and after a
 * failure reads the unfinished tables again under a new exported snapshot and a new epoch.
 */
export async function runSnapshotPhase(o: SnapshotPhaseOptions): Promise<SnapshotRecord> {
  const finished: Record<string, TableProgress> = { ...o.keep };
  let read = [...o.read];
  let epoch = o.epoch;
  for (let attempt = 0; ; attempt++) {
    const exporter = attempt === 0 && o.exporter ? o.exporter : await o.openExporter();
    const lsnText = formatLsn(exporter.lsn);
    let record = pendingRecord({ epoch, anchor: o.anchor, keep: finished, read }, lsnText);
    await o.store.put(record);
    o.onRecord(record);
    const started = Date.now();
    let sn = 0;
    const rowEpoch = epoch;
    try {
      const rows = await readSnapshot({
        settings: o.settings,
        applicationName: o.applicationName,
        snapshotName: exporter.snapshotName,
        snapshotLsn: lsnText,
        tables: read.map((n) => o.tables.get(n)).filter((t): t is TableInfo => t !== undefined),
        schemaOf: o.schemaOf,
        chunkSize: o.chunkSize,
        parallelism: o.parallelism,
        gate: o.gate,
        signal: o.signal,
        sourceId: o.sourceId,
        database: o.database,
        nextPosition: (t) => rowPosition(o.anchor, t.schema, rowEpoch, ++sn),
        emit: o.emit,
        onImported: () => void exporter.connection.close(),
        onTableDone: async (t, last) => {
          const name = qualifiedText(t);
          finished[name] = { lsn: lsnText, last, done: true };
          record = withTable(record, name, finished[name]!);
          await o.store.put(record);
          o.logger.info({ table: name, snapshotLsn: lsnText }, 'snapshot of table finished');
        },
        logger: o.logger,
      });
      if (!o.signal.aborted) o.logger.info({ tables: read.length, rows, seconds: (Date.now() - started) / 1000, snapshotLsn: lsnText, epoch }, 'snapshot finished');
      o.retrier.succeeded();
      return record;
    } catch (e) {
      await exporter.connection.close();
      if (o.signal.aborted) throw e;
      const step = o.retrier.failed(e);
      if (step.action === 'give-up') throw step.error;
      await o.retrier.wait(step, o.signal);
      if (o.signal.aborted) throw e;
      read = read.filter((n) => !finished[n]);
      epoch++;
      o.logger.warn({ err: e, tables: read, epoch }, 'snapshot interrupted; reading the unfinished tables again under a new snapshot');
    }
  }
}

/** The record of a snapshot about to read `read` at `lsn`: what a restart resumes from. */
export function pendingRecord(d: { epoch: number; anchor: PgPosition; keep: Readonly<Record<string, TableProgress>>; read: readonly string[] }, lsn: string): SnapshotRecord {
  let record: SnapshotRecord = { epoch: d.epoch, anchor: d.anchor, tables: { ...d.keep } };
  for (const name of d.read) record = withTable(record, name, { lsn, last: null, done: false });
  return record;
}

function withTable(record: SnapshotRecord, name: string, progress: TableProgress): SnapshotRecord {
  return { ...record, tables: { ...record.tables, [name]: progress } };
}

/** A snapshot row's position: after the anchor, ordered by epoch and row sequence. */
export function rowPosition(anchor: PgPosition, schema: string, epoch: number, sn: number): PgPosition {
  return {
    lsn: anchor.lsn,
    xid: null,
    schema,
    snapshot: true,
    i: anchor.i,
    ...(anchor.end ? { end: anchor.end } : {}),
    ...(anchor.g ? { g: anchor.g } : {}),
    se: epoch,
    sn,
  };
}

/** An exported snapshot from a temporary slot (dropped when its connection closes) and its consistent point. */
export async function openTemporaryExport(settings: PgConnectionSettings, applicationName: string, slot: string): Promise<Exporter> {
  const connection = await ReplicationConnection.open(settings, applicationName);
  try {
    const name = `${slot}_snap_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
    const created = await connection.createSlot(name, { temporary: true, exportSnapshot: true });
    return { connection, snapshotName: created.snapshotName!, lsn: created.consistentPoint };
  } catch (e) {
    await connection.close();
    throw e;
  }
}
