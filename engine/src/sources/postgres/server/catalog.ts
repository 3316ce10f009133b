/**
 * What the source asks the server's catalogs: captured tables (columns, primary key, replica
 * identity) and type rows for conversion. Plain SQL over a regular connection.
 */
import type { ReplicaIdentity } from '../protocol/index.js';
import { compileTablePatterns, type QualifiedName } from '../table-patterns.js';
import { PG_TYPE_QUERY, type PgTypeRow } from '../types/type-catalog.js';

/** The part of pg.Client the catalog needs. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface CatalogColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
  /** attnotnull (absent in records stored before it was read). */
  readonly notNull?: boolean;
}

export interface TableInfo extends QualifiedName {
  readonly oid: number;
  readonly replicaIdentity: ReplicaIdentity;
  readonly primaryKey: readonly string[];
  /** Replicated columns in attnum order (generated columns are not replicated by pgoutput). */
  readonly columns: readonly CatalogColumn[];
  readonly canSelect: boolean;
}

const IDENTITY: Record<string, ReplicaIdentity> = { d: 'default', n: 'nothing', f: 'full', i: 'index' };

const TABLES_QUERY = `
SELECT c.oid::int4 AS oid, n.nspname AS schema, c.relname AS table, c.relreplident::text AS identity,
  has_table_privilege(c.oid, 'SELECT') AS can_select,
  COALESCE((SELECT json_agg(a.attname ORDER BY k.ord)
            FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
            WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum), '[]') AS pk,
  COALESCE((SELECT json_agg(json_build_object('name', a.attname, 'typeOid', a.atttypid::int4, 'typeMod', a.atttypmod, 'notNull', a.attnotnull) ORDER BY a.attnum)
            FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''), '[]') AS columns
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'`;

interface TableRow {
  oid: number;
  schema: string;
  table: string;
  identity: string;
  can_select: boolean;
  pk: string[];
  columns: CatalogColumn[];
}

/** Every user table matching the patterns, sorted by name. */
export async function loadCapturedTables(db: Queryable, patterns: readonly string[]): Promise<TableInfo[]> {
  const matches = compileTablePatterns(patterns);
  const { rows } = await db.query<TableRow>(TABLES_QUERY);
  return rows
    .filter((r) => matches(r))
    .map(toTableInfo)
    .sort((a, b) => (a.schema === b.schema ? cmp(a.table, b.table) : cmp(a.schema, b.schema)));
}

/** One table by relation OID (a relation first seen in the stream), or undefined if it is gone. */
export async function loadTableByOid(db: Queryable, oid: number): Promise<TableInfo | undefined> {
  const { rows } = await db.query<TableRow>(`${TABLES_QUERY} AND c.oid = $1`, [oid]);
  return rows[0] ? toTableInfo(rows[0]) : undefined;
}

export async function loadTypes(db: Queryable, oids: readonly number[]): Promise<PgTypeRow[]> {
  const { rows } = await db.query<PgTypeRow>(PG_TYPE_QUERY, [oids]);
  return rows;
}

function toTableInfo(r: TableRow): TableInfo {
  return {
    oid: r.oid,
    schema: r.schema,
    table: r.table,
    replicaIdentity: IDENTITY[r.identity] ?? 'default',
    primaryKey: r.pk,
    columns: r.columns,
    canSelect: r.can_select,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
