import type { ChangeEvent } from '../event/change-event.js';
import { eventSchema, type ColumnType, type EventSchema } from '../schema/event-schema.js';

/**
 * The fallback for events no source schema describes (the reference's "inferred" path): column
 * types from the JSON values themselves, every column nullable. Less precise: integers are
 * longs, fractions doubles, objects and arrays JSON text, and a column only null so far is JSON
 * text too. Memoised by shape, so a steady stream reuses one schema.
 */
export class SchemaInference {
  private readonly byShape = new Map<string, EventSchema>();

  schemaOf(e: ChangeEvent): EventSchema {
    const kinds = new Map<string, ColumnType['kind']>();
    for (const image of [e.before, e.after]) {
      if (!image) continue;
      for (const name in image) {
        const kind = kindOf(image[name]);
        const seen = kinds.get(name);
        if (seen === undefined || seen === 'json') kinds.set(name, kind);
      }
    }
    const names = [...kinds.keys()].sort();
    const shape = `${e.source.db}.${e.source.table}|${e.primaryKey.join(',')}|${names.map((n) => `${n}:${kinds.get(n)}`).join(',')}`;
    let schema = this.byShape.get(shape);
    if (!schema) {
      const columns = names.map((name) => ({ name, sourceType: 'inferred', type: { kind: kinds.get(name)! } as ColumnType, nullable: true }));
      schema = eventSchema(e.source.db, e.source.table, columns, e.primaryKey.filter((k) => kinds.has(k)));
      if (this.byShape.size > 10_000) this.byShape.clear();
      this.byShape.set(shape, schema);
    }
    return schema;
  }
}

function kindOf(v: unknown): 'boolean' | 'int64' | 'float64' | 'string' | 'json' {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'string') return 'string';
  return 'json';
}
