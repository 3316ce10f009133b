import type { z } from 'zod';

/**
 * The field names a schema accepts at `path`, for "did you mean" hints. Walks zod's own
 * definitions, choosing union branches by the input's discriminator where there is one.
 */
export function knownKeysAt(schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema as unknown as z.core.$ZodType;
  let value: unknown = input;
  for (const seg of path) {
    node = unwrap(node, value);
    if (!node) return [];
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') {
      node = (def.shape as Record<string, z.core.$ZodType>)[String(seg)];
    } else if (def.type === 'array') {
      node = def.element as z.core.$ZodType;
    } else if (def.type === 'record') {
      node = def.valueType as z.core.$ZodType;
    } else {
      return [];
    }
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg as never] : undefined;
  }
  node = unwrap(node, value);
  const def = node?._zod.def as unknown as Record<string, unknown> | undefined;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(node: z.core.$ZodType | undefined, value: unknown): z.core.$ZodType | undefined {
  for (let i = 0; node && i < 20; i++) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'readonly':
        node = def.innerType as z.core.$ZodType;
        break;
      case 'pipe':
        node = def.in as z.core.$ZodType;
        break;
      case 'union': {
        const options = def.options as z.core.$ZodType[];
        const disc = def.discriminator as string | undefined;
        const wanted = disc && value && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
        const objects = options.map((o) => unwrap(o, value)).filter((o): o is z.core.$ZodType => (o?._zod.def as { type?: string } | undefined)?.type === 'object');
        node = objects.find((o) => {
          const shape = (o._zod.def as unknown as { shape: Record<string, z.core.$ZodType> }).shape;
          const lit = shape[disc ?? '']?._zod.def as unknown as { values?: unknown[] } | undefined;
          return disc ? lit?.values?.includes(wanted) : true;
        });
        return node;
      }
      default:
        return node;
    }
  }
  return node;
}
