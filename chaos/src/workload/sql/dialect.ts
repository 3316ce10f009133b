import { LARGE_KINDS, type ColumnDef, type TableDef } from '../schema.js';
import { ENUM_VALUES } from '../values.js';

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
  /** The SQL type; `database` qualifies types the schema owns (a Postgres enum). */
  columnType(column: ColumnDef, database?: string): string;
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
    case 'smallint':
    case 'float':
    case 'double':
      return Number(raw);
    case 'bigint': {
      // Postgres returns int8 as text; JSON-ready means a number while it is exact.
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : String(raw);
    }
    case 'bool':
      return raw === true || raw === 1 || raw === '1' || raw === 't';
    case 'decimal':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'enum':
    case 'text':
    case 'date':
    case 'datetime':
    case 'time':
      return String(raw);
    case 'timestamptz':
      // Postgres prints the zone (UTC sessions: +00); the workload wrote and records UTC without one.
      return String(raw).replace(/\+00$/, '');
    case 'blob':
      return Buffer.isBuffer(raw) ? raw.toString('base64') : String(raw);
    case 'json':
    case 'doc':
      return typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
    case 'int_array':
    case 'text_array':
      return raw;
  }
}

function baseEncode(column: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (column.kind === 'json' || column.kind === 'doc') return JSON.stringify(value);
  if (column.kind === 'blob') return Buffer.from(String(value), 'base64');
  return value;
}

function createTableBody(d: Dialect, table: TableDef, database: string): string {
  const notNull = new Set([...table.primaryKey, 'writer', 'version']);
  const columns = table.columns.map((c) => `${d.ident(c.name)} ${d.columnType(c, database)}${notNull.has(c.name) ? ' NOT NULL' : ''}`);
  const key = table.primaryKey.map((c) => d.ident(c)).join(', ');
  // Without a primary key the rows are still found by an index on the workload's key.
  const constraint = table.noPrimaryKey ? (d.source === 'mysql' ? `KEY \`by_key\` (${key})` : null) : `PRIMARY KEY (${key})`;
  return `(${[...columns, ...(constraint ? [constraint] : [])].join(', ')})`;
}

const enumList = ENUM_VALUES.map((v) => `'${v}'`).join(', ');

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
      case 'smallint':
        return 'SMALLINT';
      case 'bigint':
        return 'BIGINT';
      case 'decimal':
        return `DECIMAL(${(c.precision ?? [12, 2]).join(',')})`;
      case 'json':
      case 'doc':
        return 'JSON';
      case 'varchar':
        return `VARCHAR(${c.length ?? 64})`;
      case 'bool':
        return 'BOOLEAN';
      case 'float':
        return 'FLOAT';
      case 'double':
        return 'DOUBLE';
      case 'char':
        return `CHAR(${c.length ?? 8})`;
      case 'uuid':
        return 'CHAR(36)';
      case 'enum':
        return `ENUM(${enumList})`;
      case 'date':
        return 'DATE';
      case 'datetime':
        return 'DATETIME(6)';
      case 'timestamptz':
        // Explicitly nullable without a default: no automatic CURRENT_TIMESTAMP.
        return 'TIMESTAMP(6) NULL DEFAULT NULL';
      case 'time':
        return 'TIME(6)';
      case 'text':
        return 'MEDIUMTEXT';
      case 'blob':
        return 'MEDIUMBLOB';
      case 'int_array':
      case 'text_array':
        throw new Error(`column ${c.name}: ${c.kind} exists on Postgres only`);
    }
  },
  createSchema(database, tables) {
    const db = this.ident(database);
    return [
      `DROP DATABASE IF EXISTS ${db}`,
      `CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      ...tables.map((t) => `CREATE TABLE ${db}.${this.ident(t.name)} ${createTableBody(this, t, database)} ENGINE=InnoDB`),
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
  columnType(c, database) {
    switch (c.kind) {
      case 'int':
        return 'INTEGER';
      case 'smallint':
        return 'SMALLINT';
      case 'bigint':
        return 'BIGINT';
      case 'decimal':
        return `NUMERIC(${(c.precision ?? [12, 2]).join(',')})`;
      case 'json':
      case 'doc':
        return 'JSONB';
      case 'varchar':
        return `VARCHAR(${c.length ?? 64})`;
      case 'bool':
        return 'BOOLEAN';
      case 'float':
        return 'REAL';
      case 'double':
        return 'DOUBLE PRECISION';
      case 'char':
        return `CHAR(${c.length ?? 8})`;
      case 'uuid':
        return 'UUID';
      case 'enum':
        return `${database ? `${this.ident(database)}.` : ''}"chaos_state"`;
      case 'date':
        return 'DATE';
      case 'datetime':
        return 'TIMESTAMP(6)';
      case 'timestamptz':
        return 'TIMESTAMPTZ(6)';
      case 'time':
        return 'TIME(6)';
      case 'text':
        return 'TEXT';
      case 'blob':
        return 'BYTEA';
      case 'int_array':
        return 'INTEGER[]';
      case 'text_array':
        return 'TEXT[]';
    }
  },
  createSchema(database, tables) {
    const schema = this.ident(database);
    return [
      `DROP SCHEMA IF EXISTS ${schema} CASCADE`,
      `CREATE SCHEMA ${schema}`,
      ...(tables.some((t) => t.columns.some((c) => c.kind === 'enum')) ? [`CREATE TYPE ${schema}."chaos_state" AS ENUM (${enumList})`] : []),
      ...tables.flatMap((t) => {
        const name = `${schema}.${this.ident(t.name)}`;
        return [
          `CREATE TABLE ${name} ${createTableBody(this, t, database)}`,
          // FULL: updates and deletes carry the whole before image, which the phantom checker compares.
          // DEFAULT (some tables, on purpose): before images carry the key, unchanged TOASTed values are not sent.
          ...(t.replicaIdentity === 'default' ? [] : [`ALTER TABLE ${name} REPLICA IDENTITY FULL`]),
          // Large values out of line and uncompressed, so which are TOASTed does not depend on compression.
          ...t.columns.filter((c) => LARGE_KINDS.has(c.kind)).map((c) => `ALTER TABLE ${name} ALTER COLUMN ${this.ident(c.name)} SET STORAGE EXTERNAL`),
          ...(t.noPrimaryKey ? [`CREATE INDEX ON ${name} (${t.primaryKey.map((c) => this.ident(c)).join(', ')})`] : []),
        ];
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
