import type { ColumnConversion } from './values.js';

/** MySQL wire type codes (include/field_types.h) the value rules care about. */
const T = {
  FLOAT: 4,
  TIMESTAMP: 7,
  DATETIME: 12,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  BLOB_COMPRESSED: 140,
  VARCHAR_COMPRESSED: 141,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
} as const;

const MAY_BE_BINARY = new Set<number>([T.VARCHAR, T.BLOB_COMPRESSED, T.VARCHAR_COMPRESSED, T.TINY_BLOB, T.MEDIUM_BLOB, T.LONG_BLOB, T.BLOB, T.VAR_STRING, T.STRING]);

/** Per table: the columns needing a rule, and the ones that may arrive as Buffers (binary strings, BLOBs). */
export interface ColumnPlan {
  readonly special: readonly ColumnConversion[];
  readonly bufferColumns: readonly string[];
}

/** From a binlog TableMap: the wire types are those of the event, whatever the table looks like now. */
export function planFromBinlog(columns: ReadonlyArray<{ readonly name: string; readonly type: number; readonly metadata?: unknown }>): ColumnPlan {
  return plan(columns.map((c) => ({ name: c.name, type: c.type, bits: bitsOf(c.metadata) })));
}

/** From mysql2 result fields (text protocol: DATETIME/TIMESTAMP arrive as the classic codes). */
export function planFromFields(fields: ReadonlyArray<{ readonly name: string; readonly columnType?: number; readonly type?: number; readonly columnLength?: number; readonly length?: number }>): ColumnPlan {
  return plan(fields.map((f) => ({ name: f.name, type: f.columnType ?? f.type ?? 0, bits: f.columnLength ?? f.length ?? 0 })));
}

function plan(columns: ReadonlyArray<{ name: string; type: number; bits: number }>): ColumnPlan {
  const special: ColumnConversion[] = [];
  const bufferColumns: string[] = [];
  for (const c of columns) {
    switch (c.type) {
      case T.BIT:
        special.push({ name: c.name, kind: 'bit', bits: c.bits });
        break;
      case T.DATETIME:
      case T.DATETIME2:
        special.push({ name: c.name, kind: 'datetime', bits: 0 });
        break;
      case T.TIMESTAMP:
      case T.TIMESTAMP2:
        special.push({ name: c.name, kind: 'timestamp', bits: 0 });
        break;
      case T.FLOAT:
        special.push({ name: c.name, kind: 'float', bits: 0 });
        break;
      default:
        if (MAY_BE_BINARY.has(c.type)) bufferColumns.push(c.name);
    }
  }
  return { special, bufferColumns };
}

function bitsOf(metadata: unknown): number {
  const bits = (metadata as { bits?: unknown } | null | undefined)?.bits;
  return typeof bits === 'number' ? bits : 0;
}
