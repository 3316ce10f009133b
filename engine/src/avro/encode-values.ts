import type { ColumnType } from '../schema/event-schema.js';
import { UNCHANGED_TOAST_PLACEHOLDER } from '../schema/event-schema.js';
import { decimalToBytes } from './decimal.js';
import { dateTimeToEpoch, dateToDays, timeToMicros } from './temporal.js';
import type { TypeModes } from './type-mapping.js';

/** Turns one JSON-ready column value into what the column's Avro type takes; throws a reason. */
export type ValueEncoder = (value: unknown) => unknown;

const FLOAT_WORDS: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/** The encoder matching `avroColumnType(type, modes)`; null values never reach it. */
export function valueEncoder(type: ColumnType, modes: TypeModes): ValueEncoder {
  switch (type.kind) {
    case 'boolean':
    case 'int32':
    case 'int64':
    case 'enum':
    case 'string':
    case 'uuid':
      return same;
    case 'uint64':
      return modes.unsigned_bigint_mode === 'long' ? same : (v) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : fail('an unsigned integer', v));
    case 'float32':
    case 'float64':
      return (v) => (typeof v === 'number' ? v : typeof v === 'string' && v in FLOAT_WORDS ? FLOAT_WORDS[v] : fail('a number', v));
    case 'decimal': {
      if (!(type.precision >= 1 && type.scale <= type.precision)) return stringOf;
      const scale = type.scale;
      return (v) => (typeof v === 'string' || typeof v === 'number' ? (decimalToBytes(String(v), scale) ?? fail(`a decimal with at most ${scale} fraction digits`, v)) : fail('a decimal string', v));
    }
    case 'decimal-unbounded':
      return stringOf;
    case 'bytes':
      return (v) => (v === UNCHANGED_TOAST_PLACEHOLDER ? Buffer.from(v) : typeof v === 'string' ? Buffer.from(v, 'base64') : fail('base64 text', v));
    case 'json':
    case 'other':
      return (v) => JSON.stringify(v);
    case 'date':
      return (v) => (typeof v === 'string' ? (dateToDays(v) ?? fail('a date', v)) : fail('a date', v));
    case 'time':
      return (v) => (typeof v === 'string' ? (timeToMicros(v) ?? fail('a time of day', v)) : fail('a time of day', v));
    case 'timestamp':
      return epochEncoder(type.fraction, true);
    case 'local-timestamp':
      return modes.naive_timestamp_mode === 'timestamp' ? epochEncoder(type.fraction, false) : same;
    case 'array': {
      const item = valueEncoder(type.items, modes);
      return (v) => (Array.isArray(v) ? v.map((x) => (x === null ? null : item(x))) : fail('an array', v));
    }
  }
}

function epochEncoder(fraction: number | undefined, zoned: boolean): ValueEncoder {
  const unit = fraction !== undefined && fraction <= 3 ? 'millis' : 'micros';
  const what = zoned ? 'an instant (date-time with zone)' : 'a date-time';
  return (v) => (typeof v === 'string' ? (dateTimeToEpoch(v, unit, zoned) ?? fail(what, v)) : fail(what, v));
}

const same: ValueEncoder = (v) => v;
const stringOf: ValueEncoder = (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fail('a string', v));

function fail(expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
  throw new Error(`expected ${expected}, got ${shown}`);
}
