import type { FieldOp } from '../../config/processors.js';
import type { ChangeEvent, Row } from '../../event/index.js';

export interface FieldPredicateSpec {
  readonly path: string;
  readonly op: FieldOp;
  readonly value?: unknown;
}

export type EventPredicate = (event: ChangeEvent) => boolean;

/**
 * One field predicate of the reference's filter, compiled once (path split, regex built).
 * Semantics, beyond the reference's table:
 * - a field is *absent* when the path is missing or `after` is null (a delete): `ne`,
 *   `not_in` and `not_exists` pass, every other op fails (absence is not membership);
 * - numbers compare by value, and so do numeric strings against numbers: DECIMAL and integers
 *   beyond 2^53 arrive as strings from the sources, so `total gte 100` works on them;
 * - objects and arrays compare as JSON (key order irrelevant);
 * - `changed` compares before and after for updates; other ops have no pair and always pass.
 */
export function compilePredicate(spec: FieldPredicateSpec): EventPredicate {
  const path = spec.path.split('.');
  const get = (row: Row | null): unknown => lookup(row, path);
  const v = spec.value;
  switch (spec.op) {
    case 'eq':
      return (e) => equals(get(e.after), v);
    case 'ne':
      return (e) => !equals(get(e.after), v);
    case 'exists':
      return (e) => present(get(e.after));
    case 'not_exists':
      return (e) => !present(get(e.after));
    case 'gt':
      return (e) => compare(get(e.after), v, (c) => c > 0);
    case 'gte':
      return (e) => compare(get(e.after), v, (c) => c >= 0);
    case 'lt':
      return (e) => compare(get(e.after), v, (c) => c < 0);
    case 'lte':
      return (e) => compare(get(e.after), v, (c) => c <= 0);
    case 'in': {
      const list = v as readonly unknown[];
      return (e) => list.some((item) => equals(get(e.after), item));
    }
    case 'not_in': {
      const list = v as readonly unknown[];
      return (e) => !list.some((item) => equals(get(e.after), item));
    }
    case 'contains':
      return (e) => contains(get(e.after), v);
    case 'regex': {
      const re = new RegExp(v as string, 'u');
      return (e) => {
        const field = get(e.after);
        return typeof field === 'string' && re.test(field);
      };
    }
    case 'changed':
      return (e) => {
        if (e.op !== 'u') return true;
        const was = get(e.before);
        const is = get(e.after);
        return !(was === is || (was !== undefined && equals(was, is)));
      };
  }
}

function lookup(row: Row | null, path: readonly string[]): unknown {
  let cur: unknown = row;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** A finite number from a number or a numeric string, else null. */
function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

export function equals(field: unknown, value: unknown): boolean {
  if (field === undefined) return false;
  if (field === value) return true;
  if (typeof field === 'number' || typeof value === 'number') {
    const a = asNumber(field);
    const b = asNumber(value);
    return a !== null && b !== null && a === b;
  }
  if (field === null || value === null || typeof field !== 'object' || typeof value !== 'object') return false;
  return jsonEqual(field, value);
}

function jsonEqual(a: object, b: object): boolean {
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => equals(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Numbers (and numeric strings against a number) by value; two strings by code unit order. */
function compare(field: unknown, value: unknown, ok: (c: number) => boolean): boolean {
  if (!present(field)) return false;
  if (typeof value === 'number') {
    const a = asNumber(field);
    return a !== null && ok(a - value);
  }
  if (typeof field === 'string' && typeof value === 'string') return ok(field < value ? -1 : field > value ? 1 : 0);
  if (typeof field === 'number' && typeof value === 'string') {
    const b = asNumber(value);
    return b !== null && ok(field - b);
  }
  return false;
}

function contains(field: unknown, value: unknown): boolean {
  if (typeof field === 'string') return typeof value === 'string' && field.includes(value);
  if (Array.isArray(field)) return field.some((item) => equals(item, value));
  return false;
}
