/**
 * Will the binlog at the snapshot's position still exist when the snapshot hands over to
 * streaming? A long snapshot on a server that expires binlogs quickly fails only at the very
 * end, after hours of work: warn before starting instead.
 */
export interface RetentionInput {
  readonly tables: ReadonlyArray<{ readonly rows: number }>;
  readonly maxParallelTables: number;
  /** Binlog retention in seconds; 0 = never expires. */
  readonly expireSeconds: number;
}

export type RetentionLevel = 'unlimited' | 'ok' | 'warn' | 'high-risk';

export interface RetentionAssessment {
  readonly estimateSeconds: number;
  readonly level: RetentionLevel;
  /** Share of the retention window the snapshot is expected to use. */
  readonly ratio: number;
}

/** Conservative rates: rows are read in parallel, but emitted (and delivered) one table after another. */
const EMIT_ROWS_PER_SECOND = 20_000;
const READ_ROWS_PER_SECOND_PER_WORKER = 20_000;

export function estimateSnapshotSeconds(tables: RetentionInput['tables'], maxParallelTables: number): number {
  const total = tables.reduce((n, t) => n + Math.max(0, t.rows), 0);
  const workers = Math.max(1, Math.min(maxParallelTables, tables.length));
  return Math.max(total / EMIT_ROWS_PER_SECOND, total / workers / READ_ROWS_PER_SECOND_PER_WORKER);
}

/** Warn at 50% of the retention window, high risk at 80%, as the reference does. */
export function assessRetention(input: RetentionInput): RetentionAssessment {
  const estimateSeconds = estimateSnapshotSeconds(input.tables, input.maxParallelTables);
  if (input.expireSeconds <= 0) return { estimateSeconds, level: 'unlimited', ratio: 0 };
  const ratio = estimateSeconds / input.expireSeconds;
  return { estimateSeconds, ratio, level: ratio >= 0.8 ? 'high-risk' : ratio >= 0.5 ? 'warn' : 'ok' };
}
