/**
 * The small surface the Kafka sink needs from a client library, implemented once per library
 * (kafkajs-client.ts, confluent-client.ts) so the sink's logic — batching, transactions,
 * checkpoints, error classification — is written once and both clients can be measured on it.
 */

export type KafkaClientName = 'kafkajs' | 'confluent';

export interface OutgoingMessage {
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** Explicit partition (checkpoint records); otherwise the client's murmur2 partitioner decides. */
  readonly partition?: number;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

/** One producer connection. Calls are never concurrent: the sink awaits each before the next. */
export interface ProducerAdapter {
  /**
   * Sends every message, in order per partition, and resolves once all are acknowledged
   * (acks=all); rejects with the client's error otherwise. Inside a transaction the messages
   * belong to it.
   */
  send(batches: readonly TopicMessages[]): Promise<void>;
  beginTransaction(): Promise<void>;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
  /** Releases the connection; never throws. */
  disconnect(): Promise<void>;
}

export interface Watermarks {
  /** First offset still in the log. */
  readonly low: number;
  /** Offset the next record will get (read_uncommitted end). */
  readonly high: number;
}

export interface ReadRecord {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface KafkaClientAdapter {
  readonly name: KafkaClientName;
  /** Connects a producer; a transactional one also runs InitProducerId, which fences older instances and resolves their open transaction. */
  connectProducer(): Promise<ProducerAdapter>;
  /** Partition count of a topic, or null when it does not exist. */
  partitionCount(topic: string): Promise<number | null>;
  /** Creates a topic if missing (racing creators are fine). */
  createTopic(topic: string, partitions: number, configs: Readonly<Record<string, string>>): Promise<void>;
  watermarks(topic: string, partition: number): Promise<Watermarks>;
  /**
   * Committed records (isolation read_committed: no aborted data, no control records) with
   * offsets in [from, to). Resolves only once the reader has moved past `to - 1`, so it waits for
   * transactions open below `to` to finish; rejects when `timeoutMs` runs out first.
   */
  readCommitted(topic: string, partition: number, from: number, to: number, timeoutMs: number): Promise<ReadRecord[]>;
  /** Closes admin/reader connections (producers are disconnected by their owner). */
  close(): Promise<void>;
}
