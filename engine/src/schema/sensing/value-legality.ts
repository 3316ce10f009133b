import type { ColumnType } from '../event-schema.js';
import { jsonKind } from './json-kind.js';

const INTEGER_TEXT = /^-?\d+$/;
const FLOAT_WORDS = new Set(['NaN', 'Infinity', '-Infinity']);
/** Array elements checked per value: drift shows in the first ones as well as in any. */
const MAX_CHECKED_ITEMS = 20;

/**
 * Whether a non-null JSON-ready value is one the source renders for a column of this type
 * (engine/src/schema/event-schema.ts says what each kind looks like). False is type drift:
 * the payload no longer says what the source's catalog declares.
 */
export function fitsColumnType(type: ColumnType, value: unknown): boolean {
  const kind = jsonKind(value);
  switch (type.kind) {
    case 'boolean':
      return kind === 'boolean';
    case 'int32':
      return kind === 'integer';
    case 'int64':
    case 'uint64':
      return kind === 'integer' || (kind === 'string' && INTEGER_TEXT.test(value as string));
    case 'float32':
      return kind === 'integer' || kind === 'number';
    case 'float64':
      return kind === 'integer' || kind === 'number' || (kind === 'string' && FLOAT_WORDS.has(value as string));
    case 'enum':
      return kind === 'string' && type.symbols.includes(value as string);
    case 'decimal':
    case 'decimal-unbounded':
    case 'string':
    case 'uuid':
    case 'bytes':
    case 'date':
    case 'time':
    case 'timestamp':
    case 'local-timestamp':
      return kind === 'string';
    case 'array': {
      if (kind !== 'array') return false;
      const items = value as unknown[];
      for (let i = 0; i < Math.min(items.length, MAX_CHECKED_ITEMS); i++) {
        // Nested arrays are the multi-dimensional form of the same element type.
        const item = items[i];
        if (item !== null && !(Array.isArray(item) ? fitsColumnType(type, item) : fitsColumnType(type.items, item))) return false;
      }
      return true;
    }
    case 'json':
    case 'other':
      return true;
  }
}
