import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import type { MysqlPosition, SnapshotCursor } from '../protocol/position.js';

/** A point in the binlog, stored: where a table's snapshot stands relative to the stream. */
export interface StoredPoint {
  readonly serverId: number;
  readonly gtidSet: string | null;
  readonly file: string;
  readonly pos: number;
}

export interface SnapshotTableRecord {
  readonly db: string;
  readonly table: string;
  /**
   * Streamed changes to this table count from here on. It is the snapshot point of the first
   * run that read the table in this epoch, and later runs keep it: a sink may already hold rows
   * of that first read, and replaying changes from its point (harmless for the rows read later)
   * is what keeps such rows from going stale.
   */
  readonly after: StoredPoint | null;
}

/** Progress of the snapshot of one epoch, written before any of a run's rows are emitted. */
export interface SnapshotRecord {
  readonly epoch: number;
  /** Runs started so far in this epoch (a run = one attempt after a (re)start). */
  readonly runs: number;
  /** Plan order: the order rows are emitted and the `table` index of snapshot positions. */
  readonly tables: readonly SnapshotTableRecord[];
  /** Every row was emitted and the hand-over point was confirmed to still be in the binlog. */
  readonly finished: boolean;
  /**
   * A re-snapshot (mode always) after streaming had a checkpoint: streaming continues from that
   * checkpoint, unfiltered, so changes the sinks have not seen are replayed over the new rows
   * (harmless for the final state per key) rather than skipped.
   */
  readonly streamFrom: MysqlPosition | null;
}

const KEY = 'snapshot';

export function loadSnapshotRecord(kv: KeyValueStore, namespace: string): Promise<SnapshotRecord | undefined> {
  return kv.get<SnapshotRecord>(namespace, KEY);
}

export function saveSnapshotRecord(kv: KeyValueStore, namespace: string, record: SnapshotRecord): Promise<void> {
  return kv.put(namespace, KEY, record);
}

/**
 * The first table a run must read, given the checkpoint's cursor: tables before it were
 * delivered completely. Resume is per table; a table cut off mid-way is read again whole.
 */
export function firstTableToRead(cursor: SnapshotCursor | null): number {
  if (cursor === null || cursor.table < 0) return 0;
  return cursor.last ? cursor.table + 1 : cursor.table;
}

/** Where streaming starts after the snapshot: the earliest hand-over point of any table. */
export function earliestPoint(points: readonly StoredPoint[], compare: (a: StoredPoint, b: StoredPoint) => number): StoredPoint | null {
  let min: StoredPoint | null = null;
  for (const p of points) if (min === null || compare(p, min) < 0) min = p;
  return min;
}
