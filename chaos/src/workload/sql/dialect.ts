import type { ColumnDef, TableDef } from '../schema.js';

export type SourceKind = 'mysql' | 'postgres';

/**
 * The SQL spelling that differs between MariaDB/MySQL and Postgres. Pure: statement text and
 * value conversions only. "database" is the MySQL database or the Postgres schema the workload
 * owns; names are checked by `checkIdentifier` before they reach SQL.
 */
export interface Dialect {
  readonly source: SourceKind;
  ident(name: string): string;
  /** Placeholder for the i-th (1-based) parameter. */
  param(i: number): string;
  readonly begin: string;
  readonly commit: string;
  readonly rollback: string;
  columnType(column: ColumnDef): string;
  /** Drops the database/schema if present and creates it with the tables. */
  createSchema(database: string, tables: readonly TableDef[]): string[];
  /** Query with one parameter (a session id) that returns rows while that session exists. */
  readonly sessionExists: string;
  /** Turns a JSON-ready value into a driver parameter. */
  encode(column: ColumnDef, value: unknown): unknown;
  /** Turns a driver value read back into the JSON-ready value the source reports. */
  decode(column: ColumnDef, raw: unknown): unknown;
}

export function checkIdentifier(name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`${what} "${name}" is not a plain identifier: use letters, digits and _ (at most 63), starting with a letter or _`);
  }
  return name;
}

function baseDecode(column: ColumnDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (column.kind) {
    case 'int':
      return Number(raw);
    case 'bigint': {
      // Postgres returns int8 as text; JSON-ready means a number while it is exact.
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : String(raw);
    }
    case 'decimal':
    case 'varchar':
      return String(raw);
    case 'json':
      return typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  }
}

function baseEncode(column: ColumnDef, value: unknown): unknown {
  return column.kind === 'json' && value !== null ? JSON.stringify(value) : value;
}

function createTableBody(d: Dialect, table: TableDef): string {
  const notNull = new Set([...table.primaryKey, 'writer', 'version']);
  const columns = table.columns.map((c) => `${d.ident(c.name)} ${d.columnType(c)}${notNull.has(c.name) ? ' NOT NULL' : ''}`);
  return `(${[...columns, `PRIMARY KEY (${table.primaryKey.map((c) => d.ident(c)).join(', ')})`].join(', ')})`;
}

export const mysqlDialect: Dialect = {
  source: 'mysql',
  ident: (name) => `\`${name}\``,
  param: () => '?',
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  columnType(c) {
    switch (c.kind) {
      case 'int':
        return 'INT';
      case 'bigint':
        return 'BIGINT';
      case 'decimal':
        return `DECIMAL(${(c.precision ?? [12, 2]).join(',')})`;
      case 'json':
        return 'JSON';
      case 'varchar':
        return `VARCHAR(${c.length ?? 64})`;
    }
  },
  createSchema(database, tables) {
    const db = this.ident(database);
    return [
      `DROP DATABASE IF EXISTS ${db}`,
      `CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      ...tables.map((t) => `CREATE TABLE ${db}.${this.ident(t.name)} ${createTableBody(this, t)} ENGINE=InnoDB`),
    ];
  },
  sessionExists: 'SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ?',
  encode: baseEncode,
  decode: baseDecode,
};

export const postgresDialect: Dialect = {
  source: 'postgres',
  ident: (name) => `"${name}"`,
  param: (i) => `$${i}`,
  begin: 'BEGIN',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  columnType(c) {
    switch (c.kind) {
      case 'int':
        return 'INTEGER';
      case 'bigint':
        return 'BIGINT';
      case 'decimal':
        return `NUMERIC(${(c.precision ?? [12, 2]).join(',')})`;
      case 'json':
        return 'JSONB';
      case 'varchar':
        return `VARCHAR(${c.length ?? 64})`;
    }
  },
  createSchema(database, tables) {
    const schema = this.ident(database);
    return [
      `DROP SCHEMA IF EXISTS ${schema} CASCADE`,
      `CREATE SCHEMA ${schema}`,
      ...tables.flatMap((t) => {
        const name = `${schema}.${this.ident(t.name)}`;
        // FULL: updates and deletes carry the whole before image, which the phantom checker compares.
        return [`CREATE TABLE ${name} ${createTableBody(this, t)}`, `ALTER TABLE ${name} REPLICA IDENTITY FULL`];
      }),
    ];
  },
  sessionExists: 'SELECT pid FROM pg_stat_activity WHERE pid = $1',
  encode: baseEncode,
  decode: baseDecode,
};

export function dialectFor(source: SourceKind): Dialect {
  return source === 'mysql' ? mysqlDialect : postgresDialect;
}
