import { createHash } from 'node:crypto';

/**
 * What a column holds, in source-neutral terms: enough for encoders that need types (Avro) and
 * for drift detection to know which JSON values are legal. Each source maps its own types onto
 * these (sources/mysql/schema/column-shapes.ts, sources/postgres/types/column-shapes.ts); the
 * value in the event's row is always the JSON-ready form the source produces (event/change-event.ts).
 */
export type ColumnType =
  | { readonly kind: 'boolean' }
  /** Fits in 32 signed bits. */
  | { readonly kind: 'int32' }
  /** Fits in 64 signed bits; a JSON number while exact, a decimal string beyond 2^53. */
  | { readonly kind: 'int64' }
  /** Up to 2^64 - 1 (MySQL BIGINT UNSIGNED, BIT(64)); a number while exact, else a string. */
  | { readonly kind: 'uint64' }
  | { readonly kind: 'float32' }
  /** NaN and the infinities arrive as the strings 'NaN', 'Infinity', '-Infinity' (Postgres). */
  | { readonly kind: 'float64' }
  /** A decimal string with exactly `scale` fraction digits. */
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  /** Postgres numeric without a declared precision: a decimal string of any size. */
  | { readonly kind: 'decimal-unbounded' }
  | { readonly kind: 'string' }
  | { readonly kind: 'uuid' }
  /** Base64 text in the row. */
  | { readonly kind: 'bytes' }
  /** Any parsed JSON value. */
  | { readonly kind: 'json' }
  /** A string that is one of `symbols`. */
  | { readonly kind: 'enum'; readonly symbols: readonly string[] }
  /** `YYYY-MM-DD` (Postgres: also 'infinity' / '-infinity', and negative years for BC). */
  | { readonly kind: 'date' }
  /** `hh:mm:ss[.ffffff]` within one day. */
  | { readonly kind: 'time' }
  /**
   * An instant: ISO-8601 with `Z` (or an offset). `fraction`: the source always prints exactly
   * that many fraction digits (MySQL's fsp); absent when it trims trailing zeros (Postgres, up to 6).
   */
  | { readonly kind: 'timestamp'; readonly fraction?: number }
  /** A wall-clock date-time without zone (MySQL DATETIME, Postgres timestamp): ISO-8601, no `Z`. */
  | { readonly kind: 'local-timestamp'; readonly fraction?: number }
  /** Postgres arrays: a JSON array of the element values (null elements allowed). */
  | { readonly kind: 'array'; readonly items: ColumnType }
  /** Anything else: whatever JSON value the source renders it as (usually its text form). */
  | { readonly kind: 'other' };

export interface EventColumn {
  readonly name: string;
  /** The source's own spelling of the type: `bigint(20) unsigned`, `numeric(10,2)`, `timestamptz`. */
  readonly sourceType: string;
  readonly type: ColumnType;
  /** False only when the source says NOT NULL. */
  readonly nullable: boolean;
}

/**
 * The columns of a table as the source decoded one row: the schema that was current at the
 * row's position (MySQL: the binlog's table map, Postgres: the relation message, both as of the
 * event; snapshots: the catalog the snapshot read). One frozen object per table version, shared
 * by all events decoded with it, so consumers may cache by identity.
 */
export interface EventSchema {
  readonly db: string;
  readonly table: string;
  readonly columns: readonly EventColumn[];
  readonly primaryKey: readonly string[];
  /** SHA-256 over db, table, columns and key: equal schemas have equal fingerprints. */
  readonly fingerprint: string;
}

/** Builds the shared, frozen schema object with its fingerprint. */
export function eventSchema(db: string, table: string, columns: readonly EventColumn[], primaryKey: readonly string[]): EventSchema {
  const canonical = JSON.stringify([db, table, columns.map((c) => [c.name, c.sourceType, c.type, c.nullable]), primaryKey]);
  const fingerprint = createHash('sha256').update(canonical).digest('hex');
  return Object.freeze({ db, table, columns: Object.freeze(columns.map((c) => Object.freeze({ ...c }))), primaryKey: Object.freeze([...primaryKey]), fingerprint });
}

/** Postgres' stand-in for an unchanged TOASTed value (sources/postgres/rows.ts; a unit test keeps both equal). */
export const UNCHANGED_TOAST_PLACEHOLDER = '__tidemark_unchanged_toast__';
