import { canonicalKey, type RowImage } from '../history/index.js';
import type { TableState } from './expected-state.js';
import type { TableDef } from './schema.js';
import { dialectFor } from './sql/dialect.js';
import { connectSession } from './sql/session.js';
import { decodeRow, selectAllStatement } from './sql/statements.js';
import type { WorkloadTarget } from './workload.js';

/**
 * Every row the source's workload tables hold now, JSON-ready (the same form as the history's
 * images), keyed like the history. Pass `handle.tables()` after DDL so the columns match.
 */
export async function readSourceState(target: WorkloadTarget, tables: readonly TableDef[]): Promise<TableState> {
  const dialect = dialectFor(target.source);
  const session = await connectSession(target.source, target.connection, { label: 'tidemark-workload-read', statementTimeoutMs: 60_000 });
  try {
    const state: TableState = new Map();
    for (const table of tables) {
      const { sql, params } = selectAllStatement(dialect, target.database, table);
      const rows = new Map<string, RowImage>();
      for (const raw of await session.query(sql, params)) {
        const row = decodeRow(dialect, table, raw);
        rows.set(canonicalKey(table.primaryKey, row), row);
      }
      state.set(table.name, rows);
    }
    return state;
  } finally {
    await session.close();
  }
}
