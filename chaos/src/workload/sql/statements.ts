import type { RowImage, RowVersion } from '../../history/index.js';
import { LARGE_KINDS, type ColumnDef, type TableDef } from '../schema.js';
import type { Dialect } from './dialect.js';

/** A statement with its driver parameters. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

function tableName(d: Dialect, database: string, table: TableDef): string {
  return `${d.ident(database)}.${d.ident(table.name)}`;
}

/** Builds `col = ? AND ...` over the given columns, numbering parameters from `first`. */
function conditions(d: Dialect, table: TableDef, columns: readonly string[], image: RowImage, first: number): Statement {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const sql = columns.map((c, i) => `${d.ident(c)} = ${d.param(first + i)}`).join(' AND ');
  return { sql, params: columns.map((c) => d.encode(byName.get(c) as ColumnDef, image[c])) };
}

/**
 * The statement that performs one row version. Updates and deletes also match the expected old
 * `version`, so a writer whose model is wrong affects zero rows and finds out at once.
 */
export function writeStatement(d: Dialect, database: string, table: TableDef, v: RowVersion): Statement {
  const name = tableName(d, database, table);
  const guard = [...table.primaryKey, 'version'];
  if (v.op === 'c') {
    const after = v.after as RowImage;
    const cols = table.columns;
    return {
      sql: `INSERT INTO ${name} (${cols.map((c) => d.ident(c.name)).join(', ')}) VALUES (${cols.map((_, i) => d.param(i + 1)).join(', ')})`,
      params: cols.map((c) => d.encode(c, after[c.name])),
    };
  }
  const before = v.before as RowImage;
  if (v.op === 'd') {
    const where = conditions(d, table, guard, before, 1);
    return { sql: `DELETE FROM ${name} WHERE ${where.sql}`, params: where.params };
  }
  const after = v.after as RowImage;
  // A large value the update leaves alone is not SET: on Postgres it then stays TOASTed and is not sent.
  const set = table.columns.filter((c) => !table.primaryKey.includes(c.name) && !(LARGE_KINDS.has(c.kind) && after[c.name] === before[c.name]));
  const where = conditions(d, table, guard, before, set.length + 1);
  return {
    sql: `UPDATE ${name} SET ${set.map((c, i) => `${d.ident(c.name)} = ${d.param(i + 1)}`).join(', ')} WHERE ${where.sql}`,
    params: [...set.map((c) => d.encode(c, after[c.name])), ...where.params],
  };
}

/** Reads one row by primary key (key columns taken from `key`). */
export function selectKeyStatement(d: Dialect, database: string, table: TableDef, key: RowImage): Statement {
  const where = conditions(d, table, table.primaryKey, key, 1);
  return { sql: `SELECT * FROM ${tableName(d, database, table)} WHERE ${where.sql}`, params: where.params };
}

export function selectAllStatement(d: Dialect, database: string, table: TableDef): Statement {
  return { sql: `SELECT * FROM ${tableName(d, database, table)} ORDER BY ${table.primaryKey.map((c) => d.ident(c)).join(', ')}`, params: [] };
}

export function addColumnStatement(d: Dialect, database: string, table: TableDef, column: ColumnDef): Statement {
  // Nullable without a default: existing rows read null, which is what the model assumes.
  return { sql: `ALTER TABLE ${tableName(d, database, table)} ADD COLUMN ${d.ident(column.name)} ${d.columnType(column)} NULL`, params: [] };
}

export function dropColumnStatement(d: Dialect, database: string, table: TableDef, column: string): Statement {
  return { sql: `ALTER TABLE ${tableName(d, database, table)} DROP COLUMN ${d.ident(column)}`, params: [] };
}

/** A driver row in JSON-ready form, with the table's columns in table order. */
export function decodeRow(d: Dialect, table: TableDef, raw: Readonly<Record<string, unknown>>): RowImage {
  const row: RowImage = {};
  for (const c of table.columns) row[c.name] = d.decode(c, raw[c.name]);
  return row;
}
