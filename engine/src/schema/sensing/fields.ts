import { sortedKinds, type ValueKind } from './json-kind.js';
import { childPath, type ShapeNode } from './shape-node.js';

/** One field of `GET /pipelines/{name}/sensing/schemas/{table}` (the reference's shape). */
export interface SensedField {
  readonly name: string;
  readonly types: readonly ValueKind[];
  readonly nullable: boolean;
  readonly optional: boolean;
  /** Objects: how many fields they have. */
  readonly nested_field_count?: number;
  /** Arrays: the kinds of their elements. */
  readonly array_element_types?: readonly ValueKind[];
}

function field(name: string, node: ShapeNode): SensedField {
  return {
    name,
    types: sortedKinds(node.kinds),
    nullable: node.nullable,
    optional: node.optional,
    ...(node.kinds.has('object') ? { nested_field_count: node.children?.size ?? 0 } : {}),
    ...(node.kinds.has('array') ? { array_element_types: node.items ? sortedKinds(node.items.kinds) : [] } : {}),
  };
}

/** The fields of an object node, one level: a table's columns. */
export function topLevelFields(node: ShapeNode): SensedField[] {
  return [...(node.children ?? [])].map(([name, child]) => field(name, child));
}

/** Every field below a node, named by dotted path (`metadata.tags`, `items[].sku`): a JSON column's structure. */
export function nestedFields(node: ShapeNode, path = ''): SensedField[] {
  const out: SensedField[] = [];
  for (const [name, child] of node.children ?? []) {
    const p = childPath(path, name);
    out.push(field(p, child));
    out.push(...nestedFields(child, p));
  }
  if (node.items) out.push(...nestedFields(node.items, `${path}[]`));
  return out;
}
