import type { RowImage } from '../history/index.js';
import { WORKLOAD_TABLES } from './tables.js';

/**
 * The workload's tables, as data. Every table has the bookkeeping columns `writer` and `version`
 * so that each row image names the write it came from; keys are partitioned by writer (see
 * `keyColumns`) so writers never touch each other's rows.
 */

/**
 * Logical column types; `sql/dialect.ts` spells them per database and docs/workload.md lists the
 * value each source reports. `text`, `blob` and `doc` hold large values (tens of kB: TOAST on
 * Postgres, off-page on InnoDB); `int_array` and `text_array` exist on Postgres only.
 */
export type ColumnKind =
  | 'int' | 'bigint' | 'decimal' | 'json' | 'varchar'
  | 'smallint' | 'bool' | 'float' | 'double' | 'char' | 'uuid' | 'enum'
  | 'date' | 'datetime' | 'timestamptz' | 'time'
  | 'text' | 'blob' | 'doc'
  | 'int_array' | 'text_array';

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  /** decimal: [precision, scale]. */
  readonly precision?: readonly [number, number];
  /** varchar and char: (max) length. */
  readonly length?: number;
  /** Only on these sources (Postgres arrays). */
  readonly sources?: readonly ('mysql' | 'postgres')[];
}

/** How a writer's n-th key slot becomes key values (see `keyColumns`). */
export type KeySpace = 'int' | 'bigint' | 'writer-seq';

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** The key the checkers identify rows by; the table's PRIMARY KEY unless `noPrimaryKey`. */
  readonly primaryKey: readonly string[];
  readonly keySpace?: KeySpace;
  /** The table has no primary key constraint (an index on the key columns instead). */
  readonly noPrimaryKey?: boolean;
  /** Postgres REPLICA IDENTITY: FULL (default here) or DEFAULT (before images carry the key only). */
  readonly replicaIdentity?: 'full' | 'default';
  /** Written only by large transactions (PlanOptions.largeTx), never by the ordinary mix. */
  readonly bulk?: boolean;
  /** Rows of three kinds, good or poison for some sinks (see `POISON` and `poisonFor`). */
  readonly poison?: boolean;
}

/** Columns whose values are large: an update may leave them unchanged (a TOASTed value is then not sent). */
export const LARGE_KINDS: ReadonlySet<ColumnKind> = new Set(['text', 'blob', 'doc']);

export { ACCOUNTS, ORDERS, EVENTS, WORKLOAD_TABLES, WORKLOAD_PRIMARY_KEYS } from './tables.js';

/** Columns every table must keep: the key and the bookkeeping columns. */
export function isProtectedColumn(table: TableDef, column: string): boolean {
  return table.primaryKey.includes(column) || column === 'writer' || column === 'version';
}

/**
 * The key values of a writer's n-th key slot. Integer keys are offset by the writer id (`int`:
 * writer * 100 000 + slot, `bigint`: writer * 10^10 + slot, beyond INT range but well under 2^53
 * so it stays a JSON number); `writer-seq` keys are (writer, seq) directly.
 */
export function keyColumns(table: TableDef, writer: number, slot: number): RowImage {
  switch (table.keySpace) {
    case 'int':
      return { [table.primaryKey[0]!]: writer * 100_000 + slot };
    case 'writer-seq':
      return { writer, seq: slot };
    case 'bigint':
      return { [table.primaryKey[0]!]: writer * 10_000_000_000 + slot };
    default:
      throw new Error(`workload table ${table.name} has no key space; set keySpace in its definition`);
  }
}

/**
 * The live shape of the tables: the base definitions plus columns added or dropped by the DDL
 * helper. Writers read it when they plan a txn; the DDL helper changes it while writers pause.
 */
export class SchemaModel {
  private readonly tables = new Map<string, TableDef>();

  constructor(base: readonly TableDef[] = WORKLOAD_TABLES) {
    for (const t of base) this.tables.set(t.name, t);
  }

  get all(): TableDef[] {
    return [...this.tables.values()];
  }

  table(name: string): TableDef {
    const table = this.tables.get(name);
    if (!table) throw new Error(`unknown workload table "${name}"; tables: ${[...this.tables.keys()].join(', ')}`);
    return table;
  }

  addColumn(tableName: string, column: ColumnDef): void {
    const table = this.table(tableName);
    if (table.columns.some((c) => c.name === column.name)) throw new Error(`${tableName} already has a column "${column.name}"`);
    this.tables.set(tableName, { ...table, columns: [...table.columns, column] });
  }

  dropColumn(tableName: string, column: string): void {
    const table = this.table(tableName);
    if (isProtectedColumn(table, column)) throw new Error(`cannot drop ${tableName}.${column}: key and writer/version columns are what the checkers read`);
    if (!table.columns.some((c) => c.name === column)) throw new Error(`${tableName} has no column "${column}"`);
    this.tables.set(tableName, { ...table, columns: table.columns.filter((c) => c.name !== column) });
  }

  /**
   * A stored image in the current shape: added columns hold null (the default an ALTER gives
   * existing rows), dropped ones are gone. Column order follows the table.
   */
  conform(tableName: string, image: RowImage): RowImage {
    const out: RowImage = {};
    for (const c of this.table(tableName).columns) out[c.name] = image[c.name] ?? null;
    return out;
  }
}
