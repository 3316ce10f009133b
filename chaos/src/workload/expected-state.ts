import type { RowImage, SourceHistory } from '../history/index.js';
import { UNCHANGED_TOAST } from './planner.js';

/** Table → canonical key → row. */
export type TableState = Map<string, Map<string, RowImage>>;

export interface ExpectedState {
  readonly rows: TableState;
  /** `table key` of rows touched by an info txn without a resolution: either state is right. */
  readonly uncertain: ReadonlySet<string>;
}

/**
 * The rows the source must hold after the history: per key, the after image of its last
 * committed version (ok txns, and info txns resolved as committed), or nothing after a delete.
 * Images are put in the final shape of each table (added columns null, dropped ones gone), the
 * way the database holds rows last written before a DDL.
 */
export function expectedState(history: SourceHistory): ExpectedState {
  const rows: TableState = new Map();
  const uncertain = new Set<string>();
  for (const txn of [...history.txns].sort((a, b) => a.id - b.id)) {
    const committed = txn.outcome === 'ok' || (txn.outcome === 'info' && txn.resolution === 'committed');
    const unknown = txn.outcome === 'info' && txn.resolution === undefined;
    for (const v of txn.versions) {
      if (unknown) uncertain.add(`${v.table} ${v.key}`);
      if (!committed) continue;
      const table = rows.get(v.table) ?? new Map<string, RowImage>();
      rows.set(v.table, table);
      if (v.after) table.set(v.key, resolveUnchanged(v.after, table.get(v.key)));
      else table.delete(v.key);
    }
  }
  const columns = finalColumns(history);
  for (const [name, table] of rows) {
    const cols = columns[name];
    if (!cols) continue;
    for (const [key, image] of table) table.set(key, Object.fromEntries(cols.map((c) => [c, image[c] ?? null])));
  }
  return { rows, uncertain };
}

/** Columns of each table after the history's DDL, or {} when the history does not list columns. */
export function finalColumns(history: SourceHistory): Record<string, string[]> {
  const columns: Record<string, string[]> = Object.fromEntries(Object.entries(history.columns ?? {}).map(([t, cs]) => [t, [...cs]]));
  for (const change of history.schemaChanges ?? []) {
    const cols = columns[change.table];
    if (!cols) continue;
    columns[change.table] = change.change === 'add' ? [...cols, change.column] : cols.filter((c) => c !== change.column);
  }
  return columns;
}

/** An after image whose unchanged-TOAST markers (Postgres, default identity) take the row's current values. */
export function resolveUnchanged(after: RowImage, current: RowImage | undefined): RowImage {
  let out = after;
  for (const c in after) {
    if (after[c] !== UNCHANGED_TOAST) continue;
    if (out === after) out = { ...after };
    out[c] = current?.[c] ?? UNCHANGED_TOAST;
  }
  return out;
}
