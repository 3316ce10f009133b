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
  /** Labels a processor attached (the reference's `event.tags`); the native and debezium envelopes carry them. */
  readonly tags?: readonly string[];
  /** Destination overrides set by a processor (JavaScript `ev.route()`, outbox); they win over the sink's templates. */
  readonly routing?: RouteOverride;
  /**
   * 1, 2, ... on the extra events a processor made from one source event (fan-out), so each
   * copy has its own idempotency key and id; absent on the first (and on every unsplit event).
   */
  readonly copy?: number;
  /**
   * The table's columns as the row was decoded: the schema current at this event's position
   * (what a replay after a crash decodes with too). Encoders that need types (Avro) use it; one
   * shared object per table version. Absent for events a source cannot describe.
   */
  readonly schema?: EventSchema;
}

/**
 * Where one event goes, decided by a processor (the reference's dynamic routing). Each field set
 * overrides the sink's template or default for that event; absent fields fall through to them.
 */
export interface RouteOverride {
  /** Kafka topic, Redis stream key or NATS subject. */
  readonly topic?: string;
  /** Message key (Kafka key, Redis `df-key`, NATS `df-key` header). */
  readonly key?: string;
  /** Added to the message: Kafka/NATS/HTTP headers, Redis `df-headers` (JSON). The `tidemark-*` metadata wins over a header of the same name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deliver `after` as the message value without the envelope (outbox `raw_payload`). */
  readonly raw?: boolean;
}

export interface OutboxTag {
  /** Postgres logical-message prefix or MySQL outbox table that matched. */
  readonly match: string;
}

export const OPS: readonly Op[] = ['c', 'u', 'd', 'r', 't'];
