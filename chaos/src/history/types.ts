/**
 * The vocabulary every part of the harness shares (Jepsen's: ok / fail / info outcomes;
 * valid / invalid / unknown verdicts). Workloads produce a SourceHistory, readers a
 * SinkHistory per sink, the nemesis a FaultHistory; checkers judge them.
 */

/** Jepsen outcomes: it happened, it did not, or we cannot know (connection lost mid-COMMIT). */
export type Outcome = 'ok' | 'fail' | 'info';

/** A row image as the workload wrote it: column name → JSON-ready value. */
export type RowImage = Record<string, unknown>;

/**
 * One row version the workload wrote. Every version is unique: `version` increases per key, and
 * the row itself carries `writer` and `version` columns so a sink record names the version it is.
 * A delete carries the version of the row it removed (the sink's before image shows it) and
 * `op: 'd'`; the next insert of that key uses version + 1.
 */
export interface RowVersion {
  readonly table: string;
  /** Canonical primary key: see `canonicalKey`. */
  readonly key: string;
  readonly version: number;
  readonly op: 'c' | 'u' | 'd';
  readonly writer: number;
  /** The after image (null for a delete). */
  readonly after: RowImage | null;
  /** The before image the source should report (null for an insert). */
  readonly before: RowImage | null;
  /**
   * The sinks (by id) that must refuse this version (too large, unroutable): it is expected in
   * the DLQ journal with a reason instead of in those sinks (dlq-poison).
   */
  readonly poisonFor?: readonly string[];
}

/** One source transaction the workload attempted. */
export interface SourceTxn {
  /** Workload-assigned, increasing in invocation order. */
  readonly id: number;
  readonly writer: number;
  readonly versions: readonly RowVersion[];
  readonly outcome: Outcome;
  /** ms since the Unix epoch. */
  readonly invokedAt: number;
  readonly completedAt: number;
  /** Why it failed or is indeterminate. */
  readonly error?: string;
  /**
   * Only for `info`: what a read on a fresh connection found once the old server session was gone
   * (every row of the txn at its new version, or every row still at its old one). The outcome
   * stays `info` (Jepsen); a checker may treat `committed` as ok and `rolled-back` as fail.
   * Absent when the workload stopped before it could look.
   */
  readonly resolution?: 'committed' | 'rolled-back';
}

/**
 * A column added or dropped under load (schema-drift scenarios). Writers pause around the ALTER,
 * so every txn with id < `firstTxnId` ran on the old schema and every later one on the new: the
 * row images of later txns carry the added column (before images with null, the column's
 * default, until a txn writes it) and lack a dropped one.
 */
export interface SchemaChange {
  readonly table: string;
  readonly change: 'add' | 'drop';
  readonly column: string;
  /** SQL type as the workload declared it, for add (e.g. `VARCHAR(64)`). */
  readonly sqlType?: string;
  /** ms since the Unix epoch, when the ALTER returned. */
  readonly at: number;
  /** The id the next txn received: the first txn on the new schema. */
  readonly firstTxnId: number;
}

export interface SourceHistory {
  readonly source: 'mysql' | 'postgres';
  readonly txns: readonly SourceTxn[];
  /** Primary key columns per table, in key order. */
  readonly primaryKeys: Readonly<Record<string, readonly string[]>>;
  /** The MySQL database / Postgres schema the tables live in (`source.db` of the events). */
  readonly database?: string;
  /** Columns of each table at the start of the run, in table order. */
  readonly columns?: Readonly<Record<string, readonly string[]>>;
  /** DDL the workload ran under load, in order. */
  readonly schemaChanges?: readonly SchemaChange[];
}

/** The sinks; `dlq` is the engine's DLQ journal read through its REST API, judged as one more history. */
export type SinkKind = 'kafka' | 'redis' | 'nats' | 'http' | 'dlq';

/** One record a reader found in a sink, decoded from the real payload. */
export interface SinkRecord {
  /** Order of arrival within `stream` (offset, stream entry order, JetStream sequence, receive order). */
  readonly seq: number;
  /** Topic-partition, Redis stream key, JetStream stream name or URL path: order is only defined within one stream. */
  readonly stream: string;
  /** Bare table name, as `RowVersion.table` names it. */
  readonly table: string;
  /** The database / schema the event names (`source.db`), when the payload carries it. */
  readonly db?: string | null;
  readonly key: string;
  readonly op: 'c' | 'u' | 'd' | 'r' | 't';
  /** `version` column of the after image (before image for deletes); null when absent. */
  readonly version: number | null;
  readonly writer: number | null;
  readonly before: RowImage | null;
  readonly after: RowImage | null;
  readonly idempotencyKey: string | null;
  /** Source transaction id and position in it, from the tidemark-tx-* metadata. */
  readonly txId: string | null;
  readonly txIndex: number | null;
  readonly txEnd: boolean | null;
  /** Sink-native position for examples, e.g. `orders-0@1234` or a stream entry id. */
  readonly position: string;
  /**
   * Kafka only: index of the Kafka transaction the record was committed in, derived from the
   * offset gaps that commit/abort markers leave in a partition (null elsewhere).
   */
  readonly sinkTxn: number | null;
  /**
   * When the sink stored the record, ms since the Unix epoch, where the sink says so: Kafka's
   * record timestamp, the Redis entry id, the JetStream publish time, the HTTP arrival. End-to-end
   * latency is this minus the source commit.
   */
  readonly arrivedAt?: number;
  /** A DLQ entry: the sink that refused the event and why (`error_kind`, `error_code`). */
  readonly dlq?: { readonly sink: string; readonly errorKind: string; readonly errorCode: string };
}

export interface SinkHistory {
  readonly sink: string;
  readonly kind: SinkKind;
  /** The sink promises no duplicates (Kafka/Redis exactly_once). */
  readonly exactlyOnce: boolean;
  /** Kafka readers read twice: read_committed and read_uncommitted. */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
  readonly records: readonly SinkRecord[];
  /**
   * False when the reader stopped on its idle timeout before reaching the end it aimed for
   * (Kafka: high watermark / last stable offset; an open transaction holds the LSO back).
   * Absent means the reader has no such notion or reached the end.
   */
  readonly complete?: boolean;
  /** Payloads the reader could not decode, with their position; a checker should fail on any. */
  readonly undecodable?: readonly { readonly position: string; readonly error: string }[];
}

/** A fault the nemesis injected, with the window it was active. */
export interface FaultEvent {
  readonly kind: string;
  readonly target: string;
  /** ms since the Unix epoch. */
  readonly at: number;
  readonly until: number | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export type Validity = 'valid' | 'invalid' | 'unknown';

export interface Verdict {
  /** Checker name: lost, duplicated, reordered, phantom, torn-transaction, stalled, expectation... */
  readonly checker: string;
  readonly sink?: string;
  readonly validity: Validity;
  /** One line a human can act on. */
  readonly summary: string;
  readonly counts: Readonly<Record<string, number>>;
  /** At most 10 concrete cases: key, versions, positions. */
  readonly examples: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The canonical key string of a row: primary key values as JSON in key-column order,
 * `{"writer":1,"seq":5}`. Both the workload and the readers build keys with this, from
 * the row image, so they compare equal.
 */
export function canonicalKey(primaryKey: readonly string[], row: RowImage): string {
  return `{${primaryKey.map((c) => `${JSON.stringify(c)}:${JSON.stringify(normalizeKeyValue(row[c]))}`).join(',')}}`;
}

/** Key columns are integers in the workload schema; sinks may carry them as numbers or strings. */
function normalizeKeyValue(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return v ?? null;
}
