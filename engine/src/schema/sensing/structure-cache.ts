import { UNCHANGED_TOAST_PLACEHOLDER } from '../event-schema.js';
import { jsonKind } from './json-kind.js';
import { childPath, MAX_ARRAY_ITEMS, type ObserveContext } from './shape-node.js';

const LETTER = { null: 'n', boolean: 'b', integer: 'i', number: 'f', string: 's', array: 'a', object: 'o' } as const;

/**
 * A row's structure as a string: field names (dynamic keys folded) and JSON kinds, nested as far
 * as observation would go. Two rows with the same signature teach the shape nothing new, so
 * a cached signature lets sensing skip the full analysis.
 */
export function structureSignature(value: unknown, path: string, depth: number, ctx: ObserveContext): string {
  const kind = jsonKind(value);
  if (depth >= ctx.maxDepth || (kind !== 'object' && kind !== 'array')) return LETTER[kind];
  if (kind === 'array') {
    const seen = new Set<string>();
    const array = value as unknown[];
    for (let i = 0; i < Math.min(array.length, MAX_ARRAY_ITEMS); i++) seen.add(structureSignature(array[i], `${path}[]`, depth + 1, ctx));
    return `[${[...seen].join('|')}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key in object) {
    const v = object[key];
    if (v === UNCHANGED_TOAST_PLACEHOLDER) continue;
    const name = ctx.fieldName(path, key);
    out += `${JSON.stringify(name)}:${structureSignature(v, childPath(path, name), depth + 1, ctx)},`;
  }
  return `${out}}`;
}

/** Signatures seen lately, least recently used evicted first; counts hits and misses. */
export class StructureCache {
  private readonly seen = new Map<string, true>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.seen.size;
  }

  /** True (a hit) when the signature was cached; else remembers it. */
  check(signature: string): boolean {
    if (this.seen.delete(signature)) {
      this.seen.set(signature, true);
      this.hits++;
      return true;
    }
    this.misses++;
    this.seen.set(signature, true);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    return false;
  }

  /** Forget everything (the folding of dynamic keys changed what signatures look like). */
  clear(): void {
    this.seen.clear();
  }
}
