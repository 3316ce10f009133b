import { createRequire } from 'node:module';
import { TidemarkError } from '../../errors/index.js';

/**
 * The part of @confluentinc/kafka-javascript's librdkafka-level API the sink uses, typed here
 * so the engine builds and runs where the optional dependency is absent. We use this API rather
 * than its `.KafkaJS` layer because that layer fixes init/commit/abort timeouts at 5 s and awaits
 * one promise per message; here timeouts follow send_timeout_secs.
 */
export interface RdKafkaError extends Error {
  readonly code: number;
  readonly isFatal?: boolean;
  readonly isRetriable?: boolean;
  readonly isTxnRequiresAbort?: boolean;
}

type Callback<T = void> = (err: RdKafkaError | null | undefined, value: T) => void;
type Header = Record<string, string | Buffer>;

export interface RdProducer {
  connect(options: { timeout?: number }, cb: Callback<unknown>): void;
  disconnect(timeout: number, cb: Callback<unknown>): void;
  on(event: 'delivery-report', listener: (err: RdKafkaError | null, report: unknown) => void): void;
  on(event: 'event.error' | 'connection.failure', listener: (err: RdKafkaError) => void): void;
  setPollInBackground(set: boolean): void;
  flush(timeout: number, cb: (err: RdKafkaError | null) => void): void;
  produce(topic: string, partition: number | null, value: Buffer, key: Buffer | null, timestamp: number | null, opaque: unknown, headers: Header[]): unknown;
  initTransactions(timeout: number, cb: (err: RdKafkaError | null) => void): void;
  beginTransaction(cb: (err: RdKafkaError | null) => void): void;
  commitTransaction(timeout: number, cb: (err: RdKafkaError | null) => void): void;
  abortTransaction(timeout: number, cb: (err: RdKafkaError | null) => void): void;
}

export interface RdMessage {
  readonly offset: number;
  readonly partition: number;
  readonly key?: Buffer | string | null;
  readonly value: Buffer | null;
}

export interface RdConsumer {
  connect(options: { timeout?: number }, cb: Callback<unknown>): void;
  disconnect(cb: Callback<unknown>): void;
  assign(assignments: Array<{ topic: string; partition: number; offset: number }>): void;
  consume(count: number, cb: Callback<RdMessage[]>): void;
  setDefaultConsumeTimeout(ms: number): void;
  on(event: 'partition.eof', listener: (eof: { partition: number; offset: number }) => void): void;
}

export interface RdAdmin {
  createTopic(topic: { topic: string; num_partitions: number; replication_factor: number; config: Record<string, string> }, timeout: number, cb: (err: RdKafkaError | null) => void): void;
  describeTopics(topics: string[], options: { timeout: number }, cb: Callback<Array<{ name: string; partitions: unknown[]; error?: RdKafkaError }>>): void;
  listOffsets(
    partitions: Array<{ topic: string; partition: number; offset: unknown }>,
    options: { timeout: number; isolationLevel: number },
    cb: Callback<Array<{ partition: number; offset: number; error?: RdKafkaError }>>,
  ): void;
  disconnect(): void;
}

export interface RdKafkaModule {
  readonly librdkafkaVersion: string;
  readonly Producer: new (conf: Record<string, string | boolean | number>) => RdProducer;
  readonly KafkaConsumer: new (conf: Record<string, string | boolean | number>, topicConf: Record<string, string>) => RdConsumer;
  readonly AdminClient: { create(conf: Record<string, string | boolean | number>): RdAdmin };
  readonly OffsetSpec: { readonly EARLIEST: unknown; readonly LATEST: unknown };
}

const PACKAGE = '@confluentinc/kafka-javascript';
let cached: RdKafkaModule | Error | undefined;

/** Loads the optional client once; null when it is not installed or its native binding fails. */
export function tryLoadConfluent(): RdKafkaModule | null {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)(PACKAGE) as RdKafkaModule;
    } catch (e) {
      cached = e instanceof Error ? e : new Error(String(e));
    }
  }
  return cached instanceof Error ? null : cached;
}

export function loadConfluent(sink: string): RdKafkaModule {
  const loaded = tryLoadConfluent();
  if (loaded) return loaded;
  const reason = cached instanceof Error ? cached.message.split('\n')[0] : 'unknown';
  throw new TidemarkError('TIDEMARK_ERR_KAFKA_CLIENT_MISSING', `kafka sink ${sink} asks for client: confluent, but ${PACKAGE} could not be loaded (${reason}); install it (npm install ${PACKAGE}) or set client: kafkajs`, {
    context: { sink },
  });
}
