import { createHash } from 'node:crypto';

export interface ColumnDef {
  readonly name: string;
  /** `int`, `varchar`, `datetime`, ... (INFORMATION_SCHEMA DATA_TYPE). */
  readonly dataType: string;
  /** Full type as declared: `bigint(20) unsigned`, `enum('a','b')`, `datetime(6)`. */
  readonly columnType: string;
  readonly nullable: boolean;
  readonly charset: string | null;
}

export interface TableSchema {
  readonly db: string;
  readonly table: string;
  readonly columns: readonly ColumnDef[];
  /** Primary key columns in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
}

/** A schema as the registry keeps it. */
export interface RegisteredSchema extends TableSchema {
  readonly fingerprint: string;
  /** Per table: 1, 2, 3 ... one per distinct fingerprint seen. */
  readonly version: number;
  /** Per source: grows with every version registered for any table. */
  readonly sequence: number;
  readonly registeredAt: number;
  /** The table was dropped after this version. */
  readonly dropped?: boolean;
}

/**
 * SHA-256 over what decides how a row is read: column names, types, nullability, charsets and
 * the primary key (the reference leaves engine and table options out, and so do we).
 */
export function fingerprint(schema: TableSchema): string {
  const canonical = JSON.stringify({
    columns: schema.columns.map((c) => [c.name, c.columnType.toLowerCase(), c.nullable, c.charset]),
    primaryKey: schema.primaryKey,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export function tableKey(db: string, table: string): string {
  return `${db}.${table}`;
}

/** A primary key that can be paged with `WHERE pk > ? ORDER BY pk LIMIT n`: one integer column. */
export function integerKeyColumn(schema: TableSchema): ColumnDef | null {
  if (schema.primaryKey.length !== 1) return null;
  const col = schema.columns.find((c) => c.name === schema.primaryKey[0]);
  return col && /^(tinyint|smallint|mediumint|int|integer|bigint)$/i.test(col.dataType) ? col : null;
}
