import { eventSchema, type ColumnType, type EventColumn, type EventSchema } from '../../../schema/event-schema.js';
import type { Converter } from './value-converters.js';
import { identity } from './value-converters.js';

/**
 * Postgres types in source-neutral terms (schema/event-schema.ts), matching the JSON-ready values
 * of value-converters.ts: int8 a number while exact, numeric and money text, timestamptz with
 * `Z`, timestamp without zone, bytea base64, json/jsonb parsed, arrays as JSON arrays. Types
 * resolved from pg_type (enums, domains, extensions) are text when they keep the server's
 * rendering, otherwise whatever their base converter yields ('other').
 */
export function pgColumnType(typeName: string, typeMod: number, convert: Converter): ColumnType {
  if (typeName.endsWith('[]')) return { kind: 'array', items: pgColumnType(typeName.slice(0, -2), -1, identity) };
  switch (typeName) {
    case 'bool':
      return { kind: 'boolean' };
    case 'int2':
    case 'int4':
      return { kind: 'int32' };
    case 'int8':
    case 'oid':
    case 'xid':
    case 'cid':
      return { kind: 'int64' };
    case 'xid8':
      return { kind: 'uint64' };
    case 'float4':
      return { kind: 'float32' };
    case 'float8':
      return { kind: 'float64' };
    case 'numeric':
      // typmod = ((precision << 16) | scale) + 4; -1 when undeclared.
      return typeMod >= 4 ? { kind: 'decimal', precision: ((typeMod - 4) >> 16) & 0xffff, scale: (typeMod - 4) & 0xffff } : { kind: 'decimal-unbounded' };
    case 'uuid':
      return { kind: 'uuid' };
    case 'bytea':
      return { kind: 'bytes' };
    case 'json':
    case 'jsonb':
      return { kind: 'json' };
    case 'date':
      return { kind: 'date' };
    case 'time':
      return { kind: 'time' };
    // Postgres trims trailing fraction zeros: no fixed digit count.
    case 'timestamptz':
      return { kind: 'timestamp' };
    case 'timestamp':
      return { kind: 'local-timestamp' };
    default:
      // Everything whose converter keeps the server's text (text, varchar, interval, inet, enums...).
      return convert === identity ? { kind: 'string' } : { kind: 'other' };
  }
}

export interface PgColumnDescription {
  readonly name: string;
  readonly typeName: string;
  readonly typeMod: number;
  readonly convert: Converter;
}

/** The event schema of a table version; `notNull` names the NOT NULL columns the catalog knows. */
export function pgEventSchema(schema: string, table: string, columns: readonly PgColumnDescription[], primaryKey: readonly string[], notNull: ReadonlySet<string>): EventSchema {
  const out = columns.map((c): EventColumn => ({
    name: c.name,
    sourceType: c.typeMod >= 0 && !c.typeName.endsWith('[]') ? `${c.typeName}(${c.typeMod})` : c.typeName,
    type: pgColumnType(c.typeName, c.typeMod, c.convert),
    nullable: !notNull.has(c.name),
  }));
  return eventSchema(schema, table, out, primaryKey);
}
