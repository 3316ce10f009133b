/**
 * Sources keep their table schemas in the checkpoint store's KV, namespace
 * `<source type>:<source id>:schemas`, key `<db or schema>.<table>` (sources/mysql/schema,
 * sources/postgres/schema-registry). This renders both in the reference's shape.
 */
export function schemaNamespace(sourceType: string, sourceId: string): string {
  return `${sourceType}:${sourceId}:schemas`;
}

interface StoredSchemaLike {
  readonly db?: string;
  readonly table?: string;
  readonly columns?: readonly unknown[];
  readonly primaryKey?: readonly string[];
  readonly fingerprint?: string;
  readonly version?: number;
  readonly sequence?: number;
  readonly replicaIdentity?: string;
  readonly dropped?: boolean;
  readonly registeredAt?: number;
  readonly updatedAt?: number;
}

/** One stored record as `{database, table, column_count, primary_key, fingerprint, registry_version, ...}`. */
export function schemaInfo(key: string, value: unknown, withColumns: boolean): Record<string, unknown> {
  const v = (value !== null && typeof value === 'object' ? value : {}) as StoredSchemaLike;
  const dot = key.indexOf('.');
  const when = v.registeredAt ?? v.updatedAt;
  return {
    database: v.db ?? (dot > 0 ? key.slice(0, dot) : ''),
    table: v.table ?? (dot > 0 ? key.slice(dot + 1) : key),
    column_count: v.columns?.length ?? 0,
    primary_key: v.primaryKey ?? [],
    fingerprint: v.fingerprint ? `sha256:${v.fingerprint}` : null,
    registry_version: v.version ?? null,
    ...(v.sequence !== undefined ? { sequence: v.sequence } : {}),
    ...(v.replicaIdentity !== undefined ? { replica_identity: v.replicaIdentity } : {}),
    ...(v.dropped ? { dropped: true } : {}),
    updated_at: typeof when === 'number' ? new Date(when).toISOString() : null,
    ...(withColumns ? { columns: v.columns ?? [] } : {}),
  };
}
