import type { Row } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { UNCHANGED_TOAST, type Tuple } from './protocol/index.js';
import type { TableSchema } from './schema-registry.js';

/**
 * Stands in for a TOASTed value that did not change in an update and that the server
 * therefore did not send. It is never replaced by a guess; with REPLICA IDENTITY FULL the
 * value is taken from the before image, which does carry it.
 */
export const UNCHANGED_TOAST_VALUE = '__tidemark_unchanged_toast__';

/** Columns of a row image holding the unchanged-TOAST marker. */
export function unchangedToastColumns(row: Row | null): string[] {
  if (!row) return [];
  return Object.keys(row).filter((k) => row[k] === UNCHANGED_TOAST_VALUE);
}

/** A whole tuple as a JSON-ready row. `fill` supplies values for unchanged-TOAST columns. */
export function tupleToRow(schema: TableSchema, tuple: Tuple, fill: Row | null = null): Row {
  const { columns } = schema;
  if (tuple.length !== columns.length) throw shapeError(schema, tuple.length);
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const v = tuple[i];
    if (v === null) row[c.name] = null;
    else if (typeof v === 'string') row[c.name] = convert(schema, i, v);
    else if (v === UNCHANGED_TOAST) row[c.name] = fill && fill[c.name] !== undefined ? fill[c.name] : UNCHANGED_TOAST_VALUE;
    else row[c.name] = (v as Buffer).toString('base64');
  }
  return row;
}

/** Only the replica identity key columns of a 'K' tuple (the others are sent as nulls). */
export function keyTupleToRow(schema: TableSchema, tuple: Tuple): Row {
  const { columns } = schema;
  if (tuple.length !== columns.length) throw shapeError(schema, tuple.length);
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    if (!c.isKey) continue;
    const v = tuple[i];
    row[c.name] = typeof v === 'string' ? convert(schema, i, v) : v === null || v === undefined ? null : UNCHANGED_TOAST_VALUE;
  }
  return row;
}

/** The key columns of a converted row: the before image when the key did not change. */
export function keyOf(schema: TableSchema, row: Row): Row {
  const out: Row = {};
  for (const c of schema.columns) if (c.isKey) out[c.name] = row[c.name];
  return out;
}

function convert(schema: TableSchema, i: number, text: string): unknown {
  try {
    return schema.columns[i]!.convert(text);
  } catch (e) {
    const c = schema.columns[i]!;
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_DECODE', `${schema.schema}.${schema.table}.${c.name} (${c.typeName}): cannot convert ${JSON.stringify(text.slice(0, 60))}: ${(e as Error).message}`, {
      cause: e,
      context: { table: `${schema.schema}.${schema.table}`, column: c.name },
    });
  }
}

function shapeError(schema: TableSchema, got: number): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_SOURCE_DECODE', `${schema.schema}.${schema.table}: tuple has ${got} columns, relation has ${schema.columns.length}`, {
    context: { table: `${schema.schema}.${schema.table}` },
  });
}
