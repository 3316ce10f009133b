import { createHash } from 'node:crypto';
import type { KeyValueStore } from '../../checkpoints/checkpoint-store.js';
import type { Logger } from '../../logging/logger.js';
import type { TableInfo } from './server/catalog.js';
import type { RelationMessage, ReplicaIdentity } from './protocol/index.js';
import { qualifiedText, type QualifiedName } from './table-patterns.js';
import type { EventSchema } from '../../schema/event-schema.js';
import { pgEventSchema } from './types/column-shapes.js';
import type { TypeCatalog } from './types/type-catalog.js';
import { identity as textConverter, type Converter } from './types/value-converters.js';

export interface ColumnSchema {
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
  readonly typeName: string;
  /** Part of the replica identity (what a 'K' old tuple carries). */
  readonly isKey: boolean;
  readonly convert: Converter;
}

export interface TableSchema extends QualifiedName {
  readonly relationId: number;
  readonly replicaIdentity: ReplicaIdentity;
  readonly columns: readonly ColumnSchema[];
  readonly primaryKey: readonly string[];
  /** SHA-256 over schema, table, replica identity, primary key and (name, type, typmod) per column. */
  readonly fingerprint: string;
  /** 1 on first sight, +1 whenever the fingerprint changes; persisted. */
  readonly version: number;
  /** False for relations the publication sends but `tables` does not select. */
  readonly captured: boolean;
  /** The columns in source-neutral terms, carried by every event decoded with this version. */
  readonly eventSchema?: EventSchema;
}

/** What the KV keeps per table (namespace `postgres:<source>:schemas`, key `schema.table`). */
export interface StoredSchema {
  readonly version: number;
  readonly fingerprint: string;
  readonly replicaIdentity: ReplicaIdentity;
  readonly primaryKey: readonly string[];
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string; readonly typeMod: number }>;
  readonly updatedAt: number;
}

export interface SchemaRegistryOptions {
  readonly kv: KeyValueStore;
  readonly namespace: string;
  readonly types: TypeCatalog;
  readonly isCaptured: (name: QualifiedName) => boolean;
  /** Catalog lookup for a relation first seen in the stream (its primary key under FULL identity). */
  readonly fetchTable: (relationId: number) => Promise<TableInfo | undefined>;
  readonly logger: Logger;
}

/**
 * Table schemas driven by Relation messages (and by the catalog for snapshots), with
 * fingerprints and versions persisted in the checkpoint store's KV. A Relation needing a server
 * lookup (an unknown type, or the primary key of a FULL-identity table) returns a promise; the
 * stream holds later messages until it settles.
 */
export class SchemaRegistry {
  private readonly byRelation = new Map<number, TableSchema>();
  private readonly tables = new Map<number, TableInfo>();
  private readonly stored = new Map<string, StoredSchema>();
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly options: SchemaRegistryOptions) {}

  async init(tables: readonly TableInfo[]): Promise<void> {
    for (const { key, value } of await this.options.kv.list<StoredSchema>(this.options.namespace)) this.stored.set(key, value);
    for (const t of tables) this.tables.set(t.oid, t);
    await this.options.types.load(tables.flatMap((t) => t.columns.map((c) => c.typeOid)));
  }

  get(relationId: number): TableSchema | undefined {
    return this.byRelation.get(relationId);
  }

  storedSchema(name: QualifiedName): StoredSchema | undefined {
    return this.stored.get(qualifiedText(name));
  }

  onRelation(msg: RelationMessage): Promise<void> | undefined {
    const captured = this.options.isCaptured(msg);
    const missingTypes = captured ? this.options.types.missing(msg.columns.map((c) => c.typeOid)) : [];
    const needTable = captured && msg.replicaIdentity !== 'default' && !this.tables.has(msg.relationId);
    if (missingTypes.length === 0 && !needTable) {
      this.apply(msg, captured);
      return undefined;
    }
    return (async () => {
      await this.options.types.load(missingTypes);
      if (needTable) {
        const info = await this.options.fetchTable(msg.relationId);
        if (info) this.tables.set(info.oid, info);
      }
      this.apply(msg, captured);
    })();
  }

  /** The schema a snapshot of `info` is read with (types must be loaded: see `init`). */
  forTable(info: TableInfo): TableSchema {
    const columns = info.columns.map((c) => this.column(c.name, c.typeOid, c.typeMod, info.primaryKey.includes(c.name), true));
    return this.versioned({ relationId: info.oid, schema: info.schema, table: info.table, replicaIdentity: info.replicaIdentity, columns, primaryKey: info.primaryKey, captured: true });
  }

  /** The fingerprint the catalog gives today, to compare with the stored one after a failover. */
  catalogFingerprint(info: TableInfo): string {
    return fingerprintOf(info, info.replicaIdentity, info.primaryKey, info.columns.map((c) => this.column(c.name, c.typeOid, c.typeMod, false, true)));
  }

  /** Resolves when every schema change seen so far is persisted. */
  flush(): Promise<void> {
    return this.writes;
  }

  private apply(msg: RelationMessage, captured: boolean): void {
    const columns = msg.columns.map((c) => this.column(c.name, c.typeOid, c.typeMod, c.isKey, captured));
    const info = this.tables.get(msg.relationId);
    const keyColumns = columns.filter((c) => c.isKey).map((c) => c.name);
    const primaryKey = info?.primaryKey ?? (msg.replicaIdentity === 'default' || msg.replicaIdentity === 'index' ? keyColumns : []);
    const base = { relationId: msg.relationId, schema: msg.schema, table: msg.table, replicaIdentity: msg.replicaIdentity, columns, primaryKey, captured };
    const schema = captured ? this.versioned(base) : { ...base, fingerprint: '', version: 0 };
    this.byRelation.set(msg.relationId, schema);
    // Tables known at start were checked by the preflight; this one appeared since.
    if (captured && !info) {
      const warning = identityWarning(schema, schema.replicaIdentity);
      if (warning) this.options.logger.warn({ table: qualifiedText(schema), replicaIdentity: schema.replicaIdentity }, warning);
    }
  }

  private column(name: string, typeOid: number, typeMod: number, isKey: boolean, captured: boolean): ColumnSchema {
    const type = captured ? this.options.types.get(typeOid) : undefined;
    return { name, typeOid, typeMod, isKey, typeName: type?.name ?? `oid:${typeOid}`, convert: type?.convert ?? textConverter };
  }

  private versioned(t: Omit<TableSchema, 'fingerprint' | 'version'>): TableSchema {
    const fingerprint = fingerprintOf(t, t.replicaIdentity, t.primaryKey, t.columns);
    const key = qualifiedText(t);
    const previous = this.stored.get(key);
    const info = this.tables.get(t.relationId);
    const notNull = new Set((info?.columns ?? []).filter((c) => c.notNull === true).map((c) => c.name));
    const eventSchema = pgEventSchema(t.schema, t.table, t.columns, t.primaryKey, notNull);
    if (previous?.fingerprint === fingerprint) return { ...t, fingerprint, version: previous.version, eventSchema };
    const version = (previous?.version ?? 0) + 1;
    const record: StoredSchema = {
      version,
      fingerprint,
      replicaIdentity: t.replicaIdentity,
      primaryKey: t.primaryKey,
      columns: t.columns.map((c) => ({ name: c.name, type: c.typeName, typeMod: c.typeMod })),
      updatedAt: Date.now(),
    };
    this.stored.set(key, record);
    if (previous) this.options.logger.info({ table: key, version, previousVersion: previous.version }, 'table schema changed');
    this.writes = this.writes
      .then(() => this.options.kv.put(this.options.namespace, key, record))
      .catch((err) => this.options.logger.warn({ err, table: key }, 'could not persist table schema; versions may repeat after a restart'));
    return { ...t, fingerprint, version, eventSchema };
  }

}

function fingerprintOf(t: QualifiedName, identity: ReplicaIdentity, primaryKey: readonly string[], columns: readonly ColumnSchema[]): string {
  const canonical = JSON.stringify([t.schema, t.table, identity, primaryKey, columns.map((c) => [c.name, c.typeName, c.typeMod])]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** What an operator should know about a table's replica identity, or null when it is FULL. */
export function identityWarning(t: QualifiedName, identity: ReplicaIdentity): string | null {
  const key = qualifiedText(t);
  switch (identity) {
    case 'default':
    case 'index':
      return `before images of updates and deletes on ${key} carry only the replica identity key columns (REPLICA IDENTITY ${identity.toUpperCase()}); ALTER TABLE ${key} REPLICA IDENTITY FULL for whole rows`;
    case 'nothing':
      return `${key} has REPLICA IDENTITY NOTHING: the server refuses updates and deletes on it once a publication publishes them, and none carry a before image`;
    case 'full':
      return null;
  }
}
