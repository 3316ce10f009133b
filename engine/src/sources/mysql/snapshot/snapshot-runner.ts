import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import type { ChangeEvent, Row } from '../../../event/index.js';
import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { MysqlDsn } from '../config/dsn.js';
import type { Flavor } from '../protocol/gtid.js';
import { positionLostMessage } from '../protocol/mysql-errors.js';
import { snapshotPosition } from '../protocol/position.js';
import { assessRetention } from '../protocol/retention.js';
import { convertRow } from '../protocol/values.js';
import type { Control, Timeouts } from '../server/control.js';
import { estimateRowCounts } from '../schema/schema-loader.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { tableKey, type RegisteredSchema } from '../schema/table-schema.js';
import { catalogEventSchema } from '../schema/column-shapes.js';
import { MysqlChangeEvent } from '../stream/change-event.js';
import { openAlignedWorkers } from './align.js';
import { Channel } from './channel.js';
import { PurgeGuard } from './purge-guard.js';
import { earliestPoint, saveSnapshotRecord, type SnapshotRecord, type StoredPoint } from './snapshot-record.js';
import type { TableChunk, TableJob } from './snapshot-worker.js';

export interface SnapshotDeps {
  readonly sourceId: string;
  readonly tenant: string;
  readonly dsn: MysqlDsn;
  readonly timeouts: Timeouts;
  readonly control: Control;
  readonly flavor: Flavor;
  readonly usesGtids: boolean;
  readonly serverId: number;
  readonly expireSeconds: number;
  readonly kv: KeyValueStore;
  readonly namespace: string;
  readonly registry: SchemaRegistry;
  readonly maxParallelTables: number;
  readonly chunkSize: number;
  readonly purgeCheckMs: number;
  readonly logger: Logger;
  readonly emit: (event: ChangeEvent) => void;
  /** Resolves when the coordinator is not holding the source back. */
  readonly whenFlowing: () => Promise<void>;
  readonly signal: AbortSignal;
  readonly comparePoints: (a: StoredPoint, b: StoredPoint) => number;
  readonly onRows: (count: number, bytes: number) => void;
}

/** How many chunks a worker may read ahead of the table being emitted. */
const READ_AHEAD = 2;

/**
 * One run of the snapshot: reads tables `from..` of the record (earlier ones were delivered),
 * each worker in its own consistent snapshot, and emits their rows as op `r` in plan order so
 * positions grow monotonically. Returns the record, finished.
 */
export async function runSnapshot(deps: SnapshotDeps, record: SnapshotRecord, from: number): Promise<SnapshotRecord> {
  const run = record.runs + 1;
  const jobs: TableJob[] = [];
  const schemas: RegisteredSchema[] = [];
  for (let i = from; i < record.tables.length; i++) {
    const t = record.tables[i]!;
    const schema = deps.registry.get(t.db, t.table);
    if (!schema) {
      deps.logger.warn({ table: tableKey(t.db, t.table) }, 'table of the snapshot plan no longer exists; skipped');
      continue;
    }
    jobs.push({ index: i, schema });
    schemas.push(schema);
  }
  await warnOnRetention(deps, schemas);

  const workerCount = Math.max(1, Math.min(deps.maxParallelTables, jobs.length));
  const { workers, points } = jobs.length > 0 ? await openAlignedWorkers({ ...deps, count: workerCount, tables: schemas }) : { workers: [], points: [] };
  const failure = new AbortController();
  let failed: unknown = null;
  const abort = (e: unknown) => {
    failed ??= e;
    failure.abort();
  };
  let guard: PurgeGuard | null = null;
  try {
    const tables = record.tables.map((t, i) => {
      const job = jobs.findIndex((j) => j.index === i);
      return job < 0 || t.after !== null ? t : { ...t, after: points[job % workerCount]! };
    });
    const current: SnapshotRecord = { ...record, runs: run, tables };
    await saveSnapshotRecord(deps.kv, deps.namespace, current);

    const base = earliestPoint(tables.flatMap((t) => (t.after ? [t.after] : [])), deps.comparePoints);
    if (base) {
      guard = new PurgeGuard(deps.control, base.file, deps.purgeCheckMs, (oldest) => abort(positionLost(base.file, oldest)), (e) => deps.logger.warn({ err: e }, 'binlog purge check failed'));
      guard.start();
    }
    const channels = workers.map(() => new Channel<TableChunk>(READ_AHEAD));
    const signal = AbortSignal.any([deps.signal, failure.signal]);
    workers.forEach((w, k) => void w.read(jobs.filter((_, j) => j % workerCount === k), deps.chunkSize, channels[k]!, signal));
    try {
      for (let j = 0; j < jobs.length && !signal.aborted; j++) {
        await emitTable(deps, jobs[j]!, points[j % workerCount]!, channels[j % workerCount]!, { epoch: record.epoch, run }, signal);
      }
    } finally {
      channels.forEach((c) => c.end());
    }
    if (failed) throw failed;
    if (deps.signal.aborted) return current;
    // The last word before streaming takes over: the hand-over point must still exist.
    const oldest = guard ? await guard.check() : null;
    if (base && oldest !== null) throw positionLost(base.file, oldest);
    const finished: SnapshotRecord = { ...current, finished: true };
    await saveSnapshotRecord(deps.kv, deps.namespace, finished);
    return finished;
  } finally {
    guard?.stop();
    await Promise.allSettled(workers.map((w) => w.close()));
  }
}

async function emitTable(deps: SnapshotDeps, job: TableJob, point: StoredPoint, channel: Channel<TableChunk>, at: { epoch: number; run: number }, signal: AbortSignal): Promise<void> {
  const { schema } = job;
  const ts = Date.now();
  const coords = { server_id: point.serverId, gtid: null, file: point.file, pos: point.pos, gtid_set: point.gtidSet };
  const txPrefix = `snapshot:${at.epoch}:${schema.db}.${schema.table}:`;
  const eventSchema = catalogEventSchema(schema);
  let row = 0;
  for (;;) {
    const chunk = await channel.pull();
    if (chunk === undefined || signal.aborted) return;
    if (chunk.tableIndex !== job.index) throw new Error(`snapshot worker out of order: expected table ${job.index}, got ${chunk.tableIndex}`);
    await deps.whenFlowing();
    let bytes = 0;
    for (let i = 0; i < chunk.rows.length; i++) {
      if (signal.aborted) return;
      const after = chunk.rows[i]!;
      convertRow(after, chunk.plan.special, chunk.plan.bufferColumns);
      const last = chunk.done && i === chunk.rows.length - 1;
      const position = snapshotPosition(coords, at.epoch, { run: at.run, table: job.index, row, last });
      const size = approximateSize(after);
      bytes += size;
      deps.emit(
        new MysqlChangeEvent(deps.tenant, { connector: 'mysql', name: deps.sourceId, db: schema.db, table: schema.table, position }, 'r', null, after, { id: txPrefix + keyText(schema.primaryKey, after, row), index: 0, end: true }, ts, schema.version, size, schema.primaryKey, undefined, eventSchema),
      );
      row++;
    }
    deps.onRows(chunk.rows.length, bytes);
    if (chunk.done) return;
  }
}

/** `{"id":7}` for keyed tables, `#n` (row number in this run) for the rest. */
function keyText(primaryKey: readonly string[], row: Row, n: number): string {
  if (primaryKey.length === 0) return `#${n}`;
  const parts: string[] = [];
  for (const col of primaryKey) parts.push(`${JSON.stringify(col)}:${JSON.stringify(row[col] ?? null)}`);
  return `{${parts.join(',')}}`;
}

function approximateSize(row: Row): number {
  let n = 2;
  for (const k in row) {
    const v = row[k];
    n += k.length + 4 + (typeof v === 'string' ? v.length + 2 : 8);
  }
  return n;
}

function positionLost(file: string, oldest: string): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_SOURCE_POSITION_LOST', positionLostMessage(`binlog ${file}, where streaming must take over from the snapshot, was purged during the snapshot (oldest binlog now ${oldest})`));
}

async function warnOnRetention(deps: SnapshotDeps, schemas: readonly RegisteredSchema[]): Promise<void> {
  const counts = await estimateRowCounts(deps.control, schemas);
  const verdict = assessRetention({ tables: schemas.map((s) => ({ rows: counts.get(tableKey(s.db, s.table)) ?? 0 })), maxParallelTables: deps.maxParallelTables, expireSeconds: deps.expireSeconds });
  const detail = { estimateSeconds: Math.round(verdict.estimateSeconds), retentionSeconds: deps.expireSeconds, tables: schemas.length };
  if (verdict.level === 'high-risk') deps.logger.warn(detail, 'HIGH RISK: the snapshot may outlast binlog retention (>= 80% of binlog_expire_logs_seconds); raise retention or snapshot from a replica');
  else if (verdict.level === 'warn') deps.logger.warn(detail, 'the snapshot may use >= 50% of binlog retention; consider raising binlog_expire_logs_seconds');
  else deps.logger.info(detail, 'snapshot starting');
}
