import type { OutboxTag } from '../../../event/index.js';
import type { EventSchema } from '../../../schema/event-schema.js';
import type { TableFilter } from '../config/table-filter.js';
import { planFromBinlog, type ColumnPlan } from '../protocol/column-kinds.js';
import { binlogEventSchema, catalogEventSchema } from '../schema/column-shapes.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { RegisteredSchema } from '../schema/table-schema.js';
import type { BinlogColumn } from './binlog-input.js';

/** What the assembler needs about a captured table, ready for the per-row loop. */
export interface StreamTable {
  readonly key: string;
  readonly schemaVersion: number | null;
  readonly primaryKey: readonly string[];
  readonly outbox: OutboxTag | undefined;
  readonly plan: ColumnPlan;
  /** The columns of the rows decoded with this table map (TRUNCATE: the catalog's). */
  readonly schema: EventSchema | undefined;
}

interface Cached {
  readonly revision: number;
  readonly columns: readonly BinlogColumn[];
  /** null: not captured. */
  readonly table: StreamTable | null;
}

/**
 * Resolves a rows event's table once per event, not per row: capture decision, registry
 * version, primary key and the value plan for the event's own column types. The decoder builds
 * a new table map for every transaction, so the cache is checked by content (same columns, no
 * registry change since) rather than by identity, without allocating on a hit.
 */
export class TableResolver {
  private readonly cache = new Map<string, Map<string, Cached>>();

  constructor(private readonly filter: TableFilter, private readonly registry: SchemaRegistry) {}

  /** null: not captured. undefined: captured but not in the registry yet (load it, then ask again). */
  resolve(db: string, table: string, columns: readonly BinlogColumn[]): StreamTable | null | undefined {
    let tables = this.cache.get(db);
    const hit = tables?.get(table);
    if (hit && hit.revision === this.registry.revision && sameColumns(hit.columns, columns)) return hit.table;
    let resolved: StreamTable | null = null;
    if (this.filter.captures(db, table)) {
      const schema = this.registry.get(db, table);
      if (!schema) return undefined;
      resolved = this.build(db, table, columns, schema);
    }
    if (!tables) this.cache.set(db, (tables = new Map()));
    tables.set(table, { revision: this.registry.revision, columns, table: resolved });
    return resolved;
  }

  /** For statements (TRUNCATE): the table without a column plan, null when not captured; leaves the caches alone. */
  describe(db: string, table: string): StreamTable | null {
    if (!this.filter.captures(db, table)) return null;
    const registered = this.registry.get(db, table) ?? null;
    return { ...this.build(db, table, [], registered), schema: registered ? catalogEventSchema(registered) : undefined };
  }

  /** A captured table with no registry entry (dropped before its schema could be read): no version, no key. */
  unregistered(db: string, table: string, columns: readonly BinlogColumn[]): StreamTable {
    return this.build(db, table, columns, null);
  }

  private build(db: string, table: string, columns: readonly BinlogColumn[], schema: RegisteredSchema | null): StreamTable {
    const match = this.filter.outboxMatch(db, table);
    return {
      key: `${db}.${table}`,
      schemaVersion: schema?.version ?? null,
      primaryKey: schema?.primaryKey ?? [],
      outbox: match === null ? undefined : { match },
      plan: planFromBinlog(columns),
      schema: columns.length > 0 ? binlogEventSchema(db, table, columns, schema) : undefined,
    };
  }
}

function sameColumns(a: readonly BinlogColumn[], b: readonly BinlogColumn[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name || a[i]!.type !== b[i]!.type) return false;
  return true;
}
