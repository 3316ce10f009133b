import { SYSTEM_SCHEMAS, type TableFilter } from '../config/table-filter.js';
import type { TableRef } from '../protocol/statements.js';
import type { Control } from '../server/control.js';
import { tableKey, type ColumnDef, type TableSchema } from './table-schema.js';

interface ColumnRow {
  db: string;
  tbl: string;
  name: string;
  data_type: string;
  column_type: string;
  is_nullable: string;
  charset: string | null;
}

interface KeyRow {
  db: string;
  tbl: string;
  name: string;
}

const SYSTEM_LIST = [...SYSTEM_SCHEMAS].map((s) => `'${s}'`).join(',');

/**
 * Base tables (not views) matching the filter, read from INFORMATION_SCHEMA. `only` narrows the
 * query to some tables or schemas, for reloads after DDL.
 */
export async function loadSchemas(control: Control, filter: TableFilter, only?: { tables?: readonly TableRef[]; schemas?: readonly string[] }): Promise<TableSchema[]> {
  const { clause, params } = scope(only);
  // Aliases in lower case: MySQL 8 reports INFORMATION_SCHEMA columns in upper case, MariaDB as written.
  const columns = await control.query<ColumnRow>(
    `SELECT c.TABLE_SCHEMA AS db, c.TABLE_NAME AS tbl, c.COLUMN_NAME AS name, c.DATA_TYPE AS data_type, c.COLUMN_TYPE AS column_type,
            c.IS_NULLABLE AS is_nullable, c.CHARACTER_SET_NAME AS charset
       FROM INFORMATION_SCHEMA.COLUMNS c
       JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
      WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_SCHEMA NOT IN (${SYSTEM_LIST}) ${clause.replace(/\?T/g, 'c')}
      ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`,
    params,
  );
  const keys = await control.query<KeyRow>(
    `SELECT s.TABLE_SCHEMA AS db, s.TABLE_NAME AS tbl, s.COLUMN_NAME AS name
       FROM INFORMATION_SCHEMA.STATISTICS s
      WHERE s.INDEX_NAME = 'PRIMARY' AND s.TABLE_SCHEMA NOT IN (${SYSTEM_LIST}) ${clause.replace(/\?T/g, 's')}
      ORDER BY s.TABLE_SCHEMA, s.TABLE_NAME, s.SEQ_IN_INDEX`,
    params,
  );
  const primaryKeys = new Map<string, string[]>();
  for (const k of keys) {
    const key = tableKey(k.db, k.tbl);
    primaryKeys.set(key, [...(primaryKeys.get(key) ?? []), k.name]);
  }
  const tables = new Map<string, { db: string; table: string; columns: ColumnDef[] }>();
  for (const c of columns) {
    if (!filter.captures(c.db, c.tbl)) continue;
    const key = tableKey(c.db, c.tbl);
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { db: c.db, table: c.tbl, columns: [] }));
    t.columns.push({ name: c.name, dataType: String(c.data_type).toLowerCase(), columnType: String(c.column_type), nullable: c.is_nullable === 'YES', charset: c.charset ?? null });
  }
  return [...tables.values()].map((t) => ({ ...t, primaryKey: primaryKeys.get(tableKey(t.db, t.table)) ?? [] }));
}

/** Estimated row counts (InnoDB statistics), for the binlog-retention preflight. */
export async function estimateRowCounts(control: Control, tables: readonly TableSchema[]): Promise<Map<string, number>> {
  if (tables.length === 0) return new Map();
  const schemas = [...new Set(tables.map((t) => t.db))];
  const rows = await control.query<{ db: string; tbl: string; n: number | string | null }>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, TABLE_ROWS AS n FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA IN (${schemas.map(() => '?').join(',')})`,
    schemas,
  );
  return new Map(rows.map((r) => [tableKey(r.db, r.tbl), Number(r.n ?? 0)]));
}

function scope(only?: { tables?: readonly TableRef[]; schemas?: readonly string[] }): { clause: string; params: string[] } {
  if (!only) return { clause: '', params: [] };
  const parts: string[] = [];
  const params: string[] = [];
  for (const t of only.tables ?? []) {
    parts.push('(?T.TABLE_SCHEMA = ? AND ?T.TABLE_NAME = ?)');
    params.push(t.db, t.table);
  }
  for (const s of only.schemas ?? []) {
    parts.push('?T.TABLE_SCHEMA = ?');
    params.push(s);
  }
  return { clause: parts.length ? `AND (${parts.join(' OR ')})` : 'AND 1 = 0', params };
}
