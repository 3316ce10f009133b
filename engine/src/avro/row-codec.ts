import type { Row } from '../event/change-event.js';
import type { EventColumn, EventSchema } from '../schema/event-schema.js';
import { valueEncoder, type ValueEncoder } from './encode-values.js';
import { fieldNames } from './names.js';
import { columnField, type TypeModes } from './type-mapping.js';

/** The Avro record of a table's rows, and the function filling it from a JSON-ready row. */
export interface RowCodec {
  readonly fields: readonly Record<string, unknown>[];
  /** Throws an Error naming the column when a value does not fit its type. */
  encode(row: Row): Record<string, unknown>;
  /** One column's value (by index in the schema), for key records. */
  column(index: number, value: unknown): unknown;
}

/**
 * Which columns are optional in Avro. Only primary key columns keep NOT NULL: a source may
 * leave other columns out of an image (Postgres before images under replica identity DEFAULT,
 * unchanged TOAST values, MySQL non-FULL row images), and a NOT NULL field without a default
 * would make every ADD COLUMN ... NOT NULL incompatible under BACKWARD (docs/avro.md).
 */
export function avroOptional(column: EventColumn, schema: EventSchema): boolean {
  return column.nullable || !schema.primaryKey.includes(column.name);
}

export function compileRowCodec(schema: EventSchema, modes: TypeModes): RowCodec {
  const columns = schema.columns;
  const names = fieldNames(columns.map((c) => c.name));
  const optional = columns.map((c) => avroOptional(c, schema));
  const encoders: ValueEncoder[] = columns.map((c) => valueEncoder(c.type, modes));
  const fields = columns.map((c, i) => columnField({ ...c, nullable: optional[i]! }, names[i]!, modes));
  const declared = new Set(columns.map((c) => c.name));
  return {
    fields,
    column(index, value) {
      const column = columns[index]!;
      if (value === null || value === undefined) throw new Error(`key column ${column.name} has no value`);
      try {
        return encoders[index]!(value);
      } catch (e) {
        throw new Error(`column ${column.name} (${column.sourceType}): ${(e as Error).message}`);
      }
    },
    encode(row) {
      const out: Record<string, unknown> = {};
      let present = 0;
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i]!;
        const v = row[column.name];
        if (v === undefined) {
          if (!optional[i]) throw new Error(`column ${column.name} (${column.sourceType}, primary key) is missing from the row`);
          out[names[i]!] = null;
          continue;
        }
        present++;
        if (v === null) {
          if (!optional[i]) throw new Error(`column ${column.name} (${column.sourceType}, primary key) is null`);
          out[names[i]!] = null;
          continue;
        }
        try {
          out[names[i]!] = encoders[i]!(v);
        } catch (e) {
          throw new Error(`column ${column.name} (${column.sourceType}): ${(e as Error).message}`);
        }
      }
      // for-in counts without allocating; a row with a column the schema lacks must not lose it silently.
      let keys = 0;
      for (const _ in row) keys++;
      if (keys > present) {
        const extra = Object.keys(row).filter((k) => !declared.has(k));
        if (extra.length > 0) throw new Error(`the row has column(s) ${extra.join(', ')} that the table schema (${columns.length} columns) does not have`);
      }
      return out;
    },
  };
}
