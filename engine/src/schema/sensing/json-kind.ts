/** The JSON types schema sensing tells apart (the reference's list). */
export type JsonKind = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** A kind other than null: what a field's `types` lists (nullability is a flag of its own). */
export type ValueKind = Exclude<JsonKind, 'null'>;

/** Order in which kinds are listed (API responses, JSON Schema). */
export const KIND_ORDER: readonly ValueKind[] = ['boolean', 'integer', 'number', 'string', 'array', 'object'];

/** The JSON type of a JSON-ready value; an integral number is `integer`. */
export function jsonKind(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'bigint':
      return 'integer';
    case 'string':
      return 'string';
    default:
      return Array.isArray(value) ? 'array' : 'object';
  }
}

/** Kinds in KIND_ORDER. */
export function sortedKinds(kinds: Iterable<ValueKind>): ValueKind[] {
  const set = new Set(kinds);
  return KIND_ORDER.filter((k) => set.has(k));
}
