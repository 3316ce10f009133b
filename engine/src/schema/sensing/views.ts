import { nestedFields, topLevelFields, type SensedField } from './fields.js';
import { toJsonSchema } from './json-schema.js';
import type { PathClassification } from './key-classifier.js';
import type { TableSensor, Versioned } from './table-sensor.js';

/** One entry of `GET /pipelines/{name}/sensing/schemas` (the reference's shape). */
export interface SensedSchemaSummary {
  /** `db.table`, or `db.table:column` for a JSON column. */
  readonly table: string;
  readonly fingerprint: string;
  readonly sequence: number;
  readonly event_count: number;
  readonly stabilized: boolean;
  readonly first_seen: string;
  readonly last_seen: string;
}

export interface SensedSchema extends SensedSchemaSummary {
  readonly fields: readonly SensedField[];
}

export interface Classifications {
  readonly table: string;
  readonly paths: Readonly<Record<string, { stable_fields: readonly string[]; has_dynamic_fields: boolean; unique_keys?: number }>>;
}

export interface SensingStats {
  readonly tables: ReadonlyArray<{ table: string; cached_structures: number; max_cache_size: number; cache_hits: number; cache_misses: number }>;
  readonly total_cache_hits: number;
  readonly total_cache_misses: number;
  /** Hits over sampled events (0 before any). */
  readonly hit_rate: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function summary(t: TableSensor, name: string, v: Versioned): SensedSchemaSummary {
  return { table: name, fingerprint: v.fingerprint, sequence: v.sequence, event_count: t.eventCount, stabilized: t.stabilized, first_seen: iso(v.firstSeen), last_seen: iso(t.version?.lastSeen ?? v.lastSeen) };
}

/** The table's summary, then one per JSON column (none before its first analysed event). */
export function summaryViews(t: TableSensor): SensedSchemaSummary[] {
  if (!t.version) return [];
  return [summary(t, t.name, t.version), ...[...t.jsonColumns].map(([column, v]) => summary(t, `${t.name}:${column}`, v))];
}

export function detailView(t: TableSensor, column: string | null): SensedSchema | null {
  if (!t.version) return null;
  if (column === null) return { ...summary(t, t.name, t.version), fields: topLevelFields(t.root) };
  const v = t.jsonColumns.get(column);
  const node = t.root.children?.get(column);
  return v && node ? { ...summary(t, `${t.name}:${column}`, v), fields: nestedFields(node) } : null;
}

/** A table's row, or one JSON column's documents, as JSON Schema (draft-07). */
export function jsonSchemaView(t: TableSensor, column: string | null): Record<string, unknown> | null {
  if (!t.version) return null;
  if (column === null) return toJsonSchema(t.name, t.root);
  const node = t.root.children?.get(column);
  return node ? toJsonSchema(`${t.name}.${column}`, node) : null;
}

/** Paths classified so far (a path needs `high_cardinality.min_events` objects). */
export function classificationsView(t: TableSensor): Classifications {
  const paths: Record<string, { stable_fields: readonly string[]; has_dynamic_fields: boolean; unique_keys?: number }> = {};
  for (const [path, classifier] of t.classifiers) {
    const c: PathClassification | null = classifier.classification;
    if (c) paths[path] = c.has_dynamic_fields ? { ...c } : { stable_fields: c.stable_fields, has_dynamic_fields: false };
  }
  return { table: t.name, paths };
}

export function statsView(tables: readonly TableSensor[], maxCacheSize: number): SensingStats {
  const rows = tables.map((t) => ({ table: t.name, cached_structures: t.cache?.size ?? 0, max_cache_size: maxCacheSize, cache_hits: t.cache?.hits ?? 0, cache_misses: t.cache?.misses ?? 0 }));
  const hits = rows.reduce((a, r) => a + r.cache_hits, 0);
  const misses = rows.reduce((a, r) => a + r.cache_misses, 0);
  return { tables: rows, total_cache_hits: hits, total_cache_misses: misses, hit_rate: hits + misses === 0 ? 0 : Math.round((hits / (hits + misses)) * 10_000) / 10_000 };
}
