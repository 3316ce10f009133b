import type { z } from 'zod';

/** One field a pipeline spec accepts, read from the zod schema itself. */
export interface FieldRow {
  /** The heading it belongs under (e.g. "Sink `kafka`"). */
  readonly section: string;
  /** The `type:` of the source, sink or processor this field belongs to, or null. */
  readonly variant: string | null;
  /** Dotted YAML path; `[]` marks a list item. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  /** The default when absent, rendered for a table; null when there is none. */
  readonly default: string | null;
}

type Def = Readonly<Record<string, unknown>> & { readonly type: string };
type Node = z.core.$ZodType;

const defOf = (node: Node): Def => node._zod.def as unknown as Def;

/** Lists with one entry per `type:` are documented one section per type. */
const VARIANT_SECTIONS: Readonly<Record<string, string>> = { 'spec.source': 'Source', 'spec.sinks[]': 'Sink', 'spec.processors[]': 'Processor' };

/** Every leaf field of `schema` in declaration order, with its type, whether it is required and its default. */
export function schemaFields(schema: z.ZodType): FieldRow[] {
  const rows: FieldRow[] = [];
  walk(schema as unknown as Node, '', 'Pipeline', null, rows);
  return rows;
}

function walk(node: Node, path: string, section: string, variant: string | null, rows: FieldRow[]): void {
  const { inner, required, fallback } = unwrap(node);
  const def = defOf(inner);
  const variantTitle = VARIANT_SECTIONS[path];
  if (variantTitle && def.type === 'union') {
    for (const option of def.options as Node[]) {
      const kind = literalOf(option, 'type');
      walk(option, path, `${variantTitle} \`${kind}\``, kind, rows);
    }
    return;
  }
  if (def.type === 'object') {
    const shape = def.shape as Readonly<Record<string, Node>>;
    for (const [key, child] of Object.entries(shape)) {
      const childPath = path ? `${path}.${key}` : key;
      walk(child, childPath, sectionOf(childPath, section), variant, rows);
    }
    return;
  }
  if (def.type === 'array' && ['object', 'union'].includes(defOf(unwrap(def.element as Node).inner).type) && VARIANT_SECTIONS[`${path}[]`] !== undefined) {
    walk(def.element as Node, `${path}[]`, section, variant, rows);
    return;
  }
  rows.push({ section, variant, path, type: describe(inner), required, default: fallback === undefined ? null : render(fallback) });
}

/** Top-level blocks of `spec` get a heading of their own. */
function sectionOf(path: string, current: string): string {
  const m = /^spec\.(batch|commit_policy|schema_sensing|journal)\b/.exec(path);
  if (m) return `\`spec.${m[1]}\``;
  return path.startsWith('metadata') ? 'Pipeline' : current;
}

function unwrap(node: Node): { inner: Node; required: boolean; fallback: unknown } {
  let inner = node;
  let required = true;
  let fallback: unknown;
  for (let i = 0; i < 20; i++) {
    const def = defOf(inner);
    if (def.type === 'default' || def.type === 'prefault') {
      if (fallback === undefined) fallback = def.defaultValue;
      required = false;
      inner = def.innerType as Node;
    } else if (def.type === 'optional') {
      required = false;
      inner = def.innerType as Node;
    } else if (def.type === 'nullable' || def.type === 'readonly') {
      inner = def.innerType as Node;
    } else if (def.type === 'pipe') {
      inner = def.in as Node;
    } else {
      break;
    }
  }
  return { inner, required, fallback };
}

function literalOf(node: Node, key: string): string {
  const shape = defOf(unwrap(node).inner).shape as Readonly<Record<string, Node>>;
  return String((defOf(shape[key]!).values as unknown[])[0]);
}

/** A readable type: "integer > 0", "one of `a`, `b`", "list of strings", "`{lsn}`". */
export function describe(node: Node): string {
  const inner = unwrap(node).inner;
  const def = defOf(inner);
  const checks = ((def.checks as Node[] | undefined) ?? []).map((c) => defOf(c) as Def & Record<string, unknown>);
  switch (def.type) {
    case 'string': {
      const pattern = checks.find((c) => c.format === 'regex')?.pattern as RegExp | undefined;
      if (pattern) return `string matching \`${pattern.source}\``;
      return checks.some((c) => c.check === 'min_length') ? 'non-empty string' : 'string';
    }
    case 'number': {
      const integer = checks.some((c) => c.format === 'safeint');
      const gt = checks.find((c) => c.check === 'greater_than');
      const lt = checks.find((c) => c.check === 'less_than');
      const base = integer ? 'integer' : 'number';
      if (gt && lt) return `${base} from ${String(gt.value)} to ${String(lt.value)}`;
      if (gt) return `${base} ${gt.inclusive ? '≥' : '>'} ${String(gt.value)}`;
      return base;
    }
    case 'boolean':
      return 'boolean';
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, string>).map((v) => `\`${v}\``).join(', ')}`;
    case 'literal':
      return (def.values as unknown[]).map((v) => `\`${String(v)}\``).join(', ');
    case 'array':
      return `list of ${plural(describe(def.element as Node))}`;
    case 'record':
      return `mapping of names to ${plural(describe(def.valueType as Node))}`;
    case 'union':
      return (def.options as Node[]).map(describe).join(' or ');
    case 'object':
      return `\`{${Object.entries(def.shape as Record<string, Node>).map(([k, v]) => (defOf(unwrap(v).inner).type === 'literal' ? `${k}: ${render((defOf(unwrap(v).inner).values as unknown[])[0])}` : k)).join(', ')}}\``;
    case 'unknown':
    case 'any':
      return 'any value';
    default:
      return def.type;
  }
}

function plural(type: string): string {
  if (type === 'non-empty string' || type === 'string') return 'strings';
  if (type.startsWith('string ')) return `strings ${type.slice('string '.length)}`;
  if (type.startsWith('one of')) return `values (${type})`;
  return type;
}

/** A default as it would be written in YAML. */
function render(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${k}: ${render(v)}`).join(', ')}}`;
}
