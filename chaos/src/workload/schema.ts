import type { RowImage } from '../history/index.js';

/**
 * The workload's tables, as data. Every table has the bookkeeping columns `writer` and `version`
 * so that each row image names the write it came from; keys are partitioned by writer (see
 * `keyColumns`) so writers never touch each other's rows.
 */

/** Logical column types; `sql/dialect.ts` spells them per database. */
export type ColumnKind = 'int' | 'bigint' | 'decimal' | 'json' | 'varchar';

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  /** decimal: [precision, scale]. */
  readonly precision?: readonly [number, number];
  /** varchar: max length. */
  readonly length?: number;
}

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey: readonly string[];
}

export const ACCOUNTS: TableDef = {
  name: 'chaos_accounts',
  columns: [
    { name: 'id', kind: 'int' },
    { name: 'writer', kind: 'int' },
    { name: 'version', kind: 'int' },
    { name: 'balance', kind: 'decimal', precision: [18, 4] },
    { name: 'doc', kind: 'json' },
    { name: 'note', kind: 'varchar', length: 64 },
  ],
  primaryKey: ['id'],
};

export const ORDERS: TableDef = {
  name: 'chaos_orders',
  columns: [
    { name: 'writer', kind: 'int' },
    { name: 'seq', kind: 'int' },
    { name: 'version', kind: 'int' },
    { name: 'amount', kind: 'decimal', precision: [12, 2] },
    { name: 'status', kind: 'varchar', length: 16 },
  ],
  primaryKey: ['writer', 'seq'],
};

export const EVENTS: TableDef = {
  name: 'chaos_events',
  columns: [
    { name: 'id', kind: 'bigint' },
    { name: 'writer', kind: 'int' },
    { name: 'version', kind: 'int' },
    { name: 'payload', kind: 'json' },
  ],
  primaryKey: ['id'],
};

export const WORKLOAD_TABLES: readonly TableDef[] = [ACCOUNTS, ORDERS, EVENTS];

/** Primary key columns per table, as `SourceHistory.primaryKeys` wants them. */
export const WORKLOAD_PRIMARY_KEYS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  WORKLOAD_TABLES.map((t) => [t.name, t.primaryKey]),
);

/** Columns every table must keep: the key and the bookkeeping columns. */
export function isProtectedColumn(table: TableDef, column: string): boolean {
  return table.primaryKey.includes(column) || column === 'writer' || column === 'version';
}

/**
 * The primary key values of a writer's n-th key slot. Integer keys are offset by the writer id
 * (accounts: writer * 100 000 + slot, events: writer * 10^10 + slot, beyond INT range but well
 * under 2^53 so it stays a JSON number); orders use (writer, seq) directly.
 */
export function keyColumns(table: TableDef, writer: number, slot: number): RowImage {
  switch (table.name) {
    case ACCOUNTS.name:
      return { id: writer * 100_000 + slot };
    case ORDERS.name:
      return { writer, seq: slot };
    case EVENTS.name:
      return { id: writer * 10_000_000_000 + slot };
    default:
      throw new Error(`workload table ${table.name} has no key space; add one in keyColumns`);
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
