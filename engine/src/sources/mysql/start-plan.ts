import type { MysqlSourceConfig } from '../../config/index.js';
import { comparePositions, isSnapshotPosition, snapshotPosition, streamPosition, type MysqlPosition } from './protocol/position.js';
import { earliestPoint, firstTableToRead, type SnapshotRecord, type StoredPoint } from './snapshot/snapshot-record.js';
import { tableKey } from './schema/table-schema.js';

export type StartPlan =
  /** Read tables `fromTable..` of `record` (saved or new), then stream. `returns` is what start() reports. */
  | { readonly kind: 'snapshot'; readonly record: SnapshotRecord; readonly fromTable: number; readonly returns: MysqlPosition }
  /** Stream from `from` (null: the binlog tail); `record` is the snapshot of this epoch, if any, for the hand-over filter. */
  | { readonly kind: 'stream'; readonly from: MysqlPosition | null; readonly record: SnapshotRecord | null };

export interface StartInput {
  readonly resume: MysqlPosition | null;
  readonly mode: MysqlSourceConfig['snapshot']['mode'];
  readonly record: SnapshotRecord | undefined;
  /** Captured tables now, for a fresh snapshot's plan. */
  readonly tables: ReadonlyArray<{ readonly db: string; readonly table: string }>;
  readonly serverId: number;
}

/**
 * Decides between snapshot and streaming at start:
 * - a checkpoint inside a snapshot continues it (whatever the mode now), at table granularity;
 * - no checkpoint and mode initial/always, or mode always after a restart: a fresh snapshot in
 *   a new epoch, whose rows sort after everything before;
 * - otherwise stream from the checkpoint, or from the binlog tail on a first start.
 */
export function planStart(input: StartInput): StartPlan {
  const { resume, mode, record } = input;
  if (resume && isSnapshotPosition(resume)) {
    if (record && record.epoch === resume.epoch) return { kind: 'snapshot', record, fromTable: firstTableToRead(resume.snap), returns: resume };
    // The record of that snapshot is gone (store wiped?): start over in a new epoch.
    return { kind: 'snapshot', record: freshRecord(input, null), fromTable: 0, returns: resume };
  }
  if ((!resume && mode !== 'never') || (resume && mode === 'always')) {
    const fresh = freshRecord(input, resume);
    const anchor = snapshotPosition({ server_id: input.serverId, gtid: null, file: '', pos: 0, gtid_set: null }, fresh.epoch, { run: fresh.runs + 1, table: -1, row: -1, last: false });
    return { kind: 'snapshot', record: fresh, fromTable: 0, returns: resume ?? anchor };
  }
  const epoch = resume?.epoch ?? record?.epoch ?? 0;
  return { kind: 'stream', from: resume, record: record && record.epoch === epoch ? record : null };
}

function freshRecord(input: StartInput, streamFrom: MysqlPosition | null): SnapshotRecord {
  const epoch = Math.max(input.resume?.epoch ?? 0, input.record?.epoch ?? 0) + 1;
  const tables = [...input.tables].sort((a, b) => (tableKey(a.db, a.table) < tableKey(b.db, b.table) ? -1 : 1)).map((t) => ({ db: t.db, table: t.table, after: null }));
  return { epoch, runs: 0, tables, finished: false, streamFrom };
}

/**
 * Where streaming starts after the snapshot of `record`: the checkpoint it re-snapshotted over
 * (mode always), else the earliest table's snapshot point; null when no table had one.
 */
export function handoverFrom(record: SnapshotRecord): MysqlPosition | null {
  if (record.streamFrom) return { ...record.streamFrom, epoch: record.epoch };
  const earliest = earliestPoint(record.tables.flatMap((t) => (t.after ? [t.after] : [])), comparePoints);
  return earliest ? pointPosition(earliest, record.epoch) : null;
}

/** Snapshot points are boundaries of one stream: ordered as positions are. */
export function comparePoints(a: StoredPoint, b: StoredPoint): number {
  return comparePositions(pointPosition(a, 0), pointPosition(b, 0));
}

function pointPosition(p: StoredPoint, epoch: number): MysqlPosition {
  return streamPosition({ server_id: p.serverId, gtid: null, file: p.file, pos: p.pos, gtid_set: p.gtidSet }, epoch, -1);
}
