import type { EventSchema } from '../schema/event-schema.js';

/**
 * The one event model every source produces and every sink consumes.
 * Sources and sinks never import each other; they meet here.
 */

/** c = create, u = update, d = delete, r = snapshot read, t = truncate. */
export type Op = 'c' | 'u' | 'd' | 'r' | 't';

/**
 * A row image. Values are JSON-ready, decided by the source so every sink encodes them alike:
 * strings, finite numbers, booleans, null, arrays and plain objects. 64-bit integers beyond
 * 2^53 and decimals are strings, binary is base64, temporal values are ISO-8601 strings.
 */
export type Row = Record<string, unknown>;

/**
 * A source-specific, JSON-serialisable resume token. Resuming from an event's position
 * continues with the event *after* it. Only the source that produced it can compare two
 * positions (see `Source.comparePositions`).
 */
export type Position = Readonly<Record<string, unknown>>;

export interface EventSourceInfo {
  /** Connector kind: `mysql`, `postgres`, `memory`, ... */
  readonly connector: string;
  /** The source id from the pipeline spec. */
  readonly name: string;
  readonly db: string;
  readonly table: string;
  readonly position: Position;
}

/**
 * Every event belongs to exactly one source transaction. A non-transactional event
 * (a snapshot row, a non-transactional logical message) is a transaction of its own.
 */
export interface TxInfo {
  /** MySQL `uuid:n`, MariaDB `domain-server-seq`, Postgres xid, or a position-derived id. */
  readonly id: string;
  /** 0-based index of the event in its transaction, derived from the log, so equal on replay. */
  readonly index: number;
  /** True on the last event of the transaction. */
  readonly end: boolean;
}

export interface ChangeEvent {
  readonly id: string;
  readonly source: EventSourceInfo;
  readonly op: Op;
  readonly before: Row | null;
  readonly after: Row | null;
  readonly tx: TxInfo;
  /** Source commit time, ms since the Unix epoch. */
  readonly ts: number;
  /** Version of the table schema the row was decoded with, when the source tracks one. */
  readonly schemaVersion: number | null;
  /** Approximate size in bytes, used for batching by bytes. */
  readonly size: number;
  /** Primary key column names of the table (empty when it has none). */
  readonly primaryKey: readonly string[];
  /** Set by sources on events that the outbox processor should route. */
  readonly outbox?: OutboxTag;
  /**
   * The table's columns as the row was decoded: the schema current at this event's position
   * (what a replay after a crash decodes with too). Encoders that need types (Avro) use it; one
   * shared object per table version. Absent for events a source cannot describe.
   */
  readonly schema?: EventSchema;
}

export interface OutboxTag {
  /** Postgres logical-message prefix or MySQL outbox table that matched. */
  readonly match: string;
}

export const OPS: readonly Op[] = ['c', 'u', 'd', 'r', 't'];
