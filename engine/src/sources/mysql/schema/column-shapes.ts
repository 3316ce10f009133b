import { eventSchema, type ColumnType, type EventColumn, type EventSchema } from '../../../schema/event-schema.js';
import type { BinlogColumn } from '../stream/binlog-input.js';
import type { ColumnDef, TableSchema } from './table-schema.js';

/**
 * MySQL/MariaDB column types in source-neutral terms (schema/event-schema.ts), matching the
 * JSON-ready values protocol/values.ts produces: integers as numbers (strings beyond 2^53),
 * DECIMAL as strings, DATETIME without zone and TIMESTAMP with `Z`, BIT(1) as a boolean,
 * binary strings as base64. MariaDB's JSON is LONGTEXT and arrives as text, so it is a string.
 */
export function mysqlColumnType(dataType: string, columnType: string): ColumnType {
  const full = columnType.toLowerCase();
  const unsigned = /\bunsigned\b/.test(full);
  switch (dataType.toLowerCase()) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'year':
      return { kind: 'int32' };
    case 'int':
    case 'integer':
      return unsigned ? { kind: 'int64' } : { kind: 'int32' };
    case 'bigint':
      return unsigned ? { kind: 'uint64' } : { kind: 'int64' };
    case 'float':
      return { kind: 'float32' };
    case 'double':
    case 'real':
      return { kind: 'float64' };
    case 'decimal':
    case 'numeric': {
      const m = /\((\d+)\s*(?:,\s*(\d+))?\)/.exec(full);
      return { kind: 'decimal', precision: Number(m?.[1] ?? 10), scale: Number(m?.[2] ?? 0) };
    }
    case 'bit': {
      const bits = Number(/\((\d+)\)/.exec(full)?.[1] ?? 1);
      return bits === 1 ? { kind: 'boolean' } : bits < 64 ? { kind: 'int64' } : { kind: 'uint64' };
    }
    case 'date':
      return { kind: 'date' };
    case 'datetime':
      return { kind: 'local-timestamp', fraction: fraction(full) };
    case 'timestamp':
      return { kind: 'timestamp', fraction: fraction(full) };
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { kind: 'bytes' };
    case 'json':
      return { kind: 'json' };
    case 'enum':
      return { kind: 'enum', symbols: enumSymbols(columnType) };
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'set':
    // TIME spans -838:59:59..838:59:59: not a time of day, so it stays text.
    case 'time':
      return { kind: 'string' };
    default:
      return { kind: 'other' };
  }
}

export function mysqlColumn(def: ColumnDef): EventColumn {
  return { name: def.name, sourceType: def.columnType, type: mysqlColumnType(def.dataType, def.columnType), nullable: def.nullable };
}

/** The schema of a snapshot row or a TRUNCATE: the catalog's columns. */
export function catalogEventSchema(schema: TableSchema): EventSchema {
  return eventSchema(schema.db, schema.table, schema.columns.map(mysqlColumn), schema.primaryKey);
}

/**
 * The schema of a binlog row: the table map's columns (as of the event, with FULL row metadata
 * their names too), each described by the catalog's column of that name when the catalog's type
 * is the same family, else by the binlog type alone (a replay from before an ALTER, after a
 * restart has loaded the newer catalog), nullable since the table map's null bits are not kept.
 */
export function binlogEventSchema(db: string, table: string, columns: readonly BinlogColumn[], catalog: TableSchema | null): EventSchema {
  const byName = new Map((catalog?.columns ?? []).map((c) => [c.name, c]));
  const out = columns.map((c): EventColumn => {
    const def = byName.get(c.name);
    const fromBinlog = binlogColumn(c);
    if (def && family(mysqlColumnType(def.dataType, def.columnType)) === family(fromBinlog.type)) return mysqlColumn(def);
    return fromBinlog;
  });
  const names = new Set(columns.map((c) => c.name));
  const primaryKey = (catalog?.primaryKey ?? []).every((k) => names.has(k)) ? (catalog?.primaryKey ?? []) : [];
  return eventSchema(db, table, out, primaryKey);
}

/** MySQL wire type codes (include/field_types.h). */
const T = { DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, FLOAT: 4, DOUBLE: 5, TIMESTAMP: 7, LONGLONG: 8, INT24: 9, DATE: 10, TIME: 11, DATETIME: 12, YEAR: 13, NEWDATE: 14, VARCHAR: 15, BIT: 16, TIMESTAMP2: 17, DATETIME2: 18, TIME2: 19, JSON: 245, NEWDECIMAL: 246, ENUM: 247, SET: 248, TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251, BLOB: 252, VAR_STRING: 253, STRING: 254, GEOMETRY: 255 } as const;

function binlogColumn(c: BinlogColumn): EventColumn {
  const meta = (c.metadata ?? {}) as { precision?: number; decimals?: number; bits?: number };
  const binary = c.charset === null || c.charset === undefined;
  const of = (sourceType: string, type: ColumnType): EventColumn => ({ name: c.name, sourceType, type, nullable: true });
  switch (c.type) {
    case T.TINY: case T.SHORT: case T.INT24: case T.YEAR:
      return of('int', { kind: 'int32' });
    // Signedness is not kept: a LONG may be unsigned, so it takes 64 bits; a LONGLONG string beyond 2^63 fits uint64.
    case T.LONG:
      return of('int', { kind: 'int64' });
    case T.LONGLONG:
      return of('bigint', { kind: 'uint64' });
    case T.FLOAT:
      return of('float', { kind: 'float32' });
    case T.DOUBLE:
      return of('double', { kind: 'float64' });
    case T.DECIMAL: case T.NEWDECIMAL:
      return of(`decimal(${meta.precision ?? 10},${meta.decimals ?? 0})`, { kind: 'decimal', precision: meta.precision ?? 10, scale: meta.decimals ?? 0 });
    case T.BIT:
      return of(`bit(${meta.bits ?? 1})`, (meta.bits ?? 1) === 1 ? { kind: 'boolean' } : (meta.bits ?? 1) < 64 ? { kind: 'int64' } : { kind: 'uint64' });
    case T.DATE: case T.NEWDATE:
      return of('date', { kind: 'date' });
    case T.DATETIME: case T.DATETIME2:
      return of('datetime', { kind: 'local-timestamp', fraction: meta.decimals ?? 0 });
    case T.TIMESTAMP: case T.TIMESTAMP2:
      return of('timestamp', { kind: 'timestamp', fraction: meta.decimals ?? 0 });
    case T.TIME: case T.TIME2:
      return of('time', { kind: 'string' });
    case T.JSON:
      return of('json', { kind: 'json' });
    case T.VARCHAR: case T.VAR_STRING: case T.STRING: case T.ENUM: case T.SET:
      return binary ? of('varbinary', { kind: 'bytes' }) : of('varchar', { kind: 'string' });
    case T.TINY_BLOB: case T.MEDIUM_BLOB: case T.LONG_BLOB: case T.BLOB:
      return binary ? of('blob', { kind: 'bytes' }) : of('text', { kind: 'string' });
    default:
      return of(`type ${c.type}`, { kind: 'other' });
  }
}

/** Types that share a JSON-ready representation (so the catalog may describe a binlog column). */
function family(t: ColumnType): string {
  switch (t.kind) {
    case 'int32': case 'int64': case 'uint64': case 'boolean':
      return 'integer';
    case 'enum': case 'string':
      return 'string';
    default:
      return t.kind;
  }
}

function fraction(columnType: string): number {
  return Number(/\((\d)\)/.exec(columnType)?.[1] ?? 0);
}

/** `enum('a','it''s')` → ['a', "it's"]. */
function enumSymbols(columnType: string): string[] {
  const body = /^enum\((.*)\)$/is.exec(columnType.trim())?.[1] ?? '';
  const out: string[] = [];
  for (const m of body.matchAll(/'((?:[^']|'')*)'/g)) out.push(m[1]!.replace(/''/g, "'"));
  return out;
}
