import type { FlattenProcessorSpec } from '../../config/processors.js';
import { TidemarkError } from '../../errors/index.js';

export type FlattenOptions = Pick<FlattenProcessorSpec, 'separator' | 'max_depth' | 'on_collision' | 'empty_object' | 'lists' | 'empty_list'>;

const DROP = Symbol('drop');

/**
 * Nested objects to top-level keys joined by `separator` (the reference's flatten):
 * `{customer: {address: {city}}}` → `{customer__address__city}`.
 *
 * - depth counts from 0 at the top-level keys; an object at depth `max_depth` is kept whole;
 * - `empty_object` / `empty_list`: keep `{}` / `[]`, drop the key, or write null;
 * - `lists: index` expands arrays to `key__0`, `key__1`, … (objects inside are flattened too);
 * - `on_collision`: when two paths make one key, the last or the first write wins, or the batch
 *   fails (TIDEMARK_ERR_PROCESSOR_FLATTEN_COLLISION).
 */
export function flattenObject(input: Record<string, unknown>, o: FlattenOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const write = (key: string, value: unknown): void => {
    if (value === DROP) return;
    if (Object.prototype.hasOwnProperty.call(out, key)) {
      if (o.on_collision === 'first') return;
      if (o.on_collision === 'error') throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_FLATTEN_COLLISION', `flatten: two paths make the key "${key}" (on_collision: error)`, { context: { key } });
    }
    // defineProperty: a key named __proto__ must become data, not a prototype.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  };
  const visit = (value: unknown, key: string, depth: number): void => {
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0) return write(key, emptyValue(o.empty_object, value));
      if (o.max_depth !== undefined && depth >= o.max_depth) return write(key, value);
      for (const k of keys) visit(value[k], `${key}${o.separator}${k}`, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return write(key, emptyValue(o.empty_list, value));
      if (o.lists === 'preserve' || (o.max_depth !== undefined && depth >= o.max_depth)) return write(key, value);
      value.forEach((item, i) => visit(item, `${key}${o.separator}${i}`, depth + 1));
      return;
    }
    write(key, value);
  };
  for (const k of Object.keys(input)) visit(input[k], k, 0);
  return out;
}

function emptyValue(policy: 'preserve' | 'drop' | 'null', value: unknown): unknown {
  return policy === 'preserve' ? value : policy === 'null' ? null : DROP;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
}
