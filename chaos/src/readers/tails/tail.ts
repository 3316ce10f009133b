import type { SinkRecord } from '../../history/index.js';

/**
 * A reader that keeps its place: each `read` delivers what the sink received since the last one,
 * in stream order, decoding one record at a time, so a run of millions of records is judged
 * while it streams and never held. A record that does not decode goes to `undecodable`.
 */
export interface SinkTail {
  /**
   * Reads up to what the sink holds now. Resolves false when the read stopped before that end
   * (a Kafka partition that did not move for the idle timeout).
   */
  read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean>;
  close(): Promise<void>;
  /** Read only at the final read (an expensive listing), not on every round. */
  readonly finalOnly?: boolean;
}

/** Options every tail takes. */
export interface TailOptions {
  /** Primary key columns per table, to build record keys. */
  readonly primaryKeys: Readonly<Record<string, readonly string[]>>;
  /**
   * Avro sinks: the schema registry's Confluent-compatible URL (direct endpoint). Framed
   * payloads are decoded with the writer schema of their id (one client per tail).
   */
  readonly registryUrl?: string;
}
