import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import { fingerprint, tableKey, type RegisteredSchema, type TableSchema } from './table-schema.js';

/** A table whose stored schema differs from the server's. */
export interface SchemaDrift {
  readonly table: string;
  readonly stored: string;
  readonly current: string;
}

/**
 * Table schemas with their versions, kept in the checkpoint store's KV so versions and the
 * sequence survive restarts. Reads are synchronous from memory: the row decoder asks once per
 * rows event.
 */
export class SchemaRegistry {
  private readonly current = new Map<string, RegisteredSchema>();
  private sequence = 0;
  /** Bumped on every change, so readers can cache lookups until it moves. */
  revision = 0;

  constructor(private readonly kv: KeyValueStore, private readonly namespace: string) {}

  async load(): Promise<void> {
    this.current.clear();
    for (const { key, value } of await this.kv.list<RegisteredSchema>(this.tablesNs)) this.current.set(key, value);
    this.sequence = (await this.kv.get<number>(this.namespace, 'schema-sequence')) ?? 0;
    this.revision++;
  }

  get(db: string, table: string): RegisteredSchema | undefined {
    const s = this.current.get(tableKey(db, table));
    return s?.dropped ? undefined : s;
  }

  all(): RegisteredSchema[] {
    return [...this.current.values()].filter((s) => !s.dropped);
  }

  /** Stored schemas that differ from `live` (tables missing on the server count too). */
  drift(live: readonly TableSchema[]): SchemaDrift[] {
    const byKey = new Map(live.map((s) => [tableKey(s.db, s.table), fingerprint(s)]));
    const drift: SchemaDrift[] = [];
    for (const [key, stored] of this.current) {
      if (stored.dropped) continue;
      const now = byKey.get(key);
      if (now !== stored.fingerprint) drift.push({ table: key, stored: stored.fingerprint.slice(0, 12), current: now?.slice(0, 12) ?? 'missing' });
    }
    return drift;
  }

  /** Records `schema`, as a new version when its fingerprint changed. Returns what is current. */
  async register(schema: TableSchema, now = Date.now()): Promise<{ schema: RegisteredSchema; changed: boolean }> {
    const key = tableKey(schema.db, schema.table);
    const fp = fingerprint(schema);
    const previous = this.current.get(key);
    if (previous?.fingerprint === fp && !previous.dropped) return { schema: previous, changed: false };
    const record: RegisteredSchema = {
      db: schema.db,
      table: schema.table,
      columns: schema.columns,
      primaryKey: schema.primaryKey,
      fingerprint: fp,
      version: (previous?.version ?? 0) + 1,
      sequence: ++this.sequence,
      registeredAt: now,
    };
    // The sequence first: a crash between the two writes wastes a number, never reuses one.
    await this.kv.put(this.namespace, 'schema-sequence', this.sequence);
    await this.kv.put(this.tablesNs, key, record);
    this.current.set(key, record);
    this.revision++;
    return { schema: record, changed: true };
  }

  /** A dropped table is kept as a tombstone, so a table created again under its name continues its versions. */
  async markDropped(db: string, table: string): Promise<void> {
    const key = tableKey(db, table);
    const previous = this.current.get(key);
    if (!previous || previous.dropped) return;
    const tombstone: RegisteredSchema = { ...previous, dropped: true };
    await this.kv.put(this.tablesNs, key, tombstone);
    this.current.set(key, tombstone);
    this.revision++;
  }

  private get tablesNs(): string {
    return `${this.namespace}:schemas`;
  }
}
