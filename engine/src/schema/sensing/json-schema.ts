import { sortedKinds } from './json-kind.js';
import { DYNAMIC_KEY, type ShapeNode } from './shape-node.js';

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

type JsonSchema = Record<string, unknown>;

/** A draft-07 JSON Schema of what sensing saw: types (null when seen), properties, items, required fields. */
export function toJsonSchema(title: string, node: ShapeNode): JsonSchema {
  return { $schema: JSON_SCHEMA_DRAFT, title, ...schemaOf(node) };
}

function schemaOf(node: ShapeNode): JsonSchema {
  const types: string[] = sortedKinds(node.kinds);
  if (node.nullable) types.push('null');
  const out: JsonSchema = types.length === 0 ? {} : { type: types.length === 1 ? types[0] : types };
  if (node.children && node.kinds.has('object')) {
    const properties: JsonSchema = {};
    const required: string[] = [];
    for (const [name, child] of node.children) {
      // A dynamic map's keys are data, not fields: any key, values of this shape.
      if (name === DYNAMIC_KEY) {
        out.additionalProperties = schemaOf(child);
        continue;
      }
      properties[name] = schemaOf(child);
      if (!child.optional) required.push(name);
    }
    out.properties = properties;
    if (required.length > 0) out.required = required;
  }
  if (node.items && node.kinds.has('array')) out.items = schemaOf(node.items);
  return out;
}
