import type { AvroEncodingSpec } from '../config/sinks.js';
import type { ColumnType, EventColumn } from '../schema/event-schema.js';
import { avroName } from './names.js';

/** Plain JSON Avro schemas, as registered. */
export type AvroSchema = string | { readonly [key: string]: unknown } | readonly AvroSchema[];

export type TypeModes = Pick<AvroEncodingSpec, 'unsigned_bigint_mode' | 'enum_mode' | 'naive_timestamp_mode'>;

/** Marks a string holding JSON text (Debezium's semantic name, so Kafka Connect recognises it too). */
export const JSON_STRING: AvroSchema = { type: 'string', 'connect.name': 'io.debezium.data.Json' };
/** Marks a string holding an unsigned 64-bit integer (decoders restore a number while exact). */
export const UINT64_STRING: AvroSchema = { type: 'string', 'tidemark.kind': 'uint64' };

/**
 * The Avro type of one column (docs/avro.md has the table). Safe by default, as the reference:
 * BIGINT UNSIGNED as a string, enums as strings, wall-clock date-times as strings, unbounded
 * numerics as strings; instants as timestamp-millis (MySQL TIMESTAMP up to 3 fraction digits)
 * or timestamp-micros (more digits, and Postgres timestamptz); DECIMAL(p,s) as the decimal
 * logical type; JSON (and types without a JSON counterpart) as JSON text.
 */
export function avroColumnType(type: ColumnType, modes: TypeModes, enumName: string): AvroSchema {
  switch (type.kind) {
    case 'boolean':
      return 'boolean';
    case 'int32':
      return 'int';
    case 'int64':
      return 'long';
    case 'uint64':
      return modes.unsigned_bigint_mode === 'long' ? 'long' : UINT64_STRING;
    case 'float32':
      return 'float';
    case 'float64':
      return 'double';
    case 'decimal':
      // Avro needs precision >= 1 and scale <= precision; anything else cannot be a decimal.
      return type.precision >= 1 && type.scale <= type.precision ? { type: 'bytes', logicalType: 'decimal', precision: type.precision, scale: type.scale } : 'string';
    case 'decimal-unbounded':
      return 'string';
    case 'string':
      return 'string';
    case 'uuid':
      return { type: 'string', logicalType: 'uuid' };
    case 'bytes':
      return 'bytes';
    case 'json':
    case 'other':
      return JSON_STRING;
    case 'enum': {
      const valid = type.symbols.length > 0 && type.symbols.every((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) && new Set(type.symbols).size === type.symbols.length;
      return modes.enum_mode === 'enum' && valid ? { type: 'enum', name: enumName, symbols: [...type.symbols] } : 'string';
    }
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'time':
      return { type: 'long', logicalType: 'time-micros' };
    case 'timestamp':
      return timestampType(type.fraction, 'timestamp');
    case 'local-timestamp':
      // The reference's `naive_timestamp_mode: timestamp`; Avro has a logical type for exactly this.
      return modes.naive_timestamp_mode === 'timestamp' ? timestampType(type.fraction, 'local-timestamp') : 'string';
    case 'array':
      return { type: 'array', items: ['null', avroColumnType(type.items, modes, `${enumName}_item`)] };
  }
}

/** `fraction` set: the source prints exactly that many digits (MySQL), which decoders reproduce. */
function timestampType(fraction: number | undefined, prefix: 'timestamp' | 'local-timestamp'): AvroSchema {
  const unit = fraction !== undefined && fraction <= 3 ? 'millis' : 'micros';
  return { type: 'long', logicalType: `${prefix}-${unit}`, ...(fraction !== undefined ? { 'tidemark.fraction': fraction } : {}) };
}

/** A record field for a column: nullable columns are `["null", T]` with default null. */
export function columnField(column: EventColumn, field: string, modes: TypeModes): Record<string, unknown> {
  const type = avroColumnType(column.type, modes, `${avroName(field)}_enum`);
  return {
    name: field,
    ...(column.nullable ? { type: ['null', type], default: null } : { type }),
    ...(field !== column.name ? { 'tidemark.column': column.name } : {}),
  };
}
