import { UNCHANGED_TOAST_PLACEHOLDER } from '../event-schema.js';
import { jsonKind, sortedKinds, type ValueKind } from './json-kind.js';

/** Keys of a path classified as a dynamic map are folded into this one field. */
export const DYNAMIC_KEY = '<dynamic>';
/** Elements of one array inspected per observation: a long array's later elements rarely add shape. */
export const MAX_ARRAY_ITEMS = 50;

/** What an observation needs from the table it belongs to. */
export interface ObserveContext {
  /** Nodes at this depth record their kinds but are not looked into (row columns are depth 1). */
  readonly maxDepth: number;
  /** The field name a key of an object at `path` is recorded under: the key, or DYNAMIC_KEY. */
  fieldName(path: string, key: string): string;
  /** Sees every object observed at `path` (high-cardinality classification). */
  objectAt?(path: string, object: Readonly<Record<string, unknown>>): void;
}

/** `a`, `a.b`, `a[]`: the path of a field below `path`. */
export function childPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/**
 * The inferred shape of one value position: the JSON kinds seen there, whether null was seen,
 * whether it was ever absent from its parent object, and for objects and arrays the shape of
 * their fields and elements. The root node is the row; its fields are the columns.
 */
export class ShapeNode {
  readonly kinds = new Set<ValueKind>();
  nullable = false;
  optional = false;
  children: Map<string, ShapeNode> | null = null;
  items: ShapeNode | null = null;
  /** Objects observed at this node; a child present in the latest one carries its number. */
  objectsSeen = 0;
  /** The stamp of the latest object this node was present in (read by its parent). */
  presentIn = 0;

  /** Merges `value` into the shape; true when the shape changed. */
  observe(value: unknown, path: string, depth: number, ctx: ObserveContext): boolean {
    const kind = jsonKind(value);
    if (kind === 'null') {
      if (this.nullable) return false;
      this.nullable = true;
      return true;
    }
    let changed = false;
    if (!this.kinds.has(kind)) {
      this.kinds.add(kind);
      changed = true;
    }
    if (depth >= ctx.maxDepth) return changed;
    if (kind === 'object') return this.observeObject(value as Record<string, unknown>, path, depth, ctx) || changed;
    if (kind === 'array') return this.observeArray(value as unknown[], path, depth, ctx) || changed;
    return changed;
  }

  private observeObject(object: Record<string, unknown>, path: string, depth: number, ctx: ObserveContext): boolean {
    ctx.objectAt?.(path, object);
    const children = (this.children ??= new Map());
    const first = this.objectsSeen === 0;
    const stamp = ++this.objectsSeen;
    let changed = false;
    for (const key in object) {
      const value = object[key];
      // Postgres leaves an unchanged TOASTed column out of the row: absent, not a string.
      if (value === UNCHANGED_TOAST_PLACEHOLDER) continue;
      const name = ctx.fieldName(path, key);
      let child = children.get(name);
      if (!child) {
        child = new ShapeNode();
        child.optional = !first;
        children.set(name, child);
        changed = true;
      }
      child.presentIn = stamp;
      changed = child.observe(value, childPath(path, name), depth + 1, ctx) || changed;
    }
    for (const child of children.values()) {
      if (child.presentIn !== stamp && !child.optional) {
        child.optional = true;
        changed = true;
      }
    }
    return changed;
  }

  private observeArray(array: readonly unknown[], path: string, depth: number, ctx: ObserveContext): boolean {
    const items = (this.items ??= new ShapeNode());
    let changed = false;
    const n = Math.min(array.length, MAX_ARRAY_ITEMS);
    for (let i = 0; i < n; i++) changed = items.observe(array[i], `${path}[]`, depth + 1, ctx) || changed;
    return changed;
  }

  /** Folds the fields of the object at `target` that `keep` rejects into one DYNAMIC_KEY field. */
  fold(target: string, keep: (key: string) => boolean, path = ''): boolean {
    if (path === target) {
      if (!this.children) return false;
      let folded: ShapeNode | null = this.children.get(DYNAMIC_KEY) ?? null;
      let changed = false;
      for (const [key, child] of this.children) {
        if (key === DYNAMIC_KEY || keep(key)) continue;
        this.children.delete(key);
        if (folded) folded.merge(child);
        else folded = child;
        changed = true;
      }
      if (folded) {
        folded.optional = true;
        this.children.set(DYNAMIC_KEY, folded);
      }
      return changed;
    }
    let changed = false;
    if (this.children) for (const [key, child] of this.children) changed = child.fold(target, keep, childPath(path, key)) || changed;
    if (this.items) changed = this.items.fold(target, keep, `${path}[]`) || changed;
    return changed;
  }

  /** Adds everything `other` saw to this node. */
  merge(other: ShapeNode): void {
    for (const k of other.kinds) this.kinds.add(k);
    this.nullable ||= other.nullable;
    this.optional ||= other.optional;
    this.objectsSeen += other.objectsSeen;
    if (other.children) {
      const mine = (this.children ??= new Map());
      for (const [key, child] of other.children) {
        const existing = mine.get(key);
        if (existing) existing.merge(child);
        else mine.set(key, child);
      }
    }
    if (other.items) {
      if (this.items) this.items.merge(other.items);
      else this.items = other.items;
    }
  }

  /** Order-independent plain form: what the fingerprint hashes. */
  canonical(): unknown {
    const out: Record<string, unknown> = { t: sortedKinds(this.kinds), n: this.nullable, o: this.optional };
    if (this.children) out.f = [...this.children.keys()].sort().map((k) => [k, this.children!.get(k)!.canonical()]);
    if (this.items) out.i = this.items.canonical();
    return out;
  }
}
