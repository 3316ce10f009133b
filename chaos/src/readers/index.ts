/**
 * Readers: read back everything a sink holds, decode the real payloads and build a SinkHistory
 * per sink. See docs/workload.md ("Readers"). `SinkIo` (reader.ts) is the contract the runner
 * holds per attached sink; io/ has one implementation per sink kind over the one-shot reads and
 * the tails below.
 */
export type { SinkIo, SinkFeed, PayloadDecoding } from './reader.js';
export { KafkaIo, type KafkaReadLayout } from './io/kafka-io.js';
export { RedisIo, type RedisReadLayout } from './io/redis-io.js';
export { NatsIo, type NatsReadLayout } from './io/nats-io.js';
export { HttpIo, type HttpReadLayout } from './io/http-io.js';
export { readKafka, type KafkaReadOptions } from './kafka.js';
export { readRedis, type RedisReadOptions } from './redis.js';
export { readNats, type NatsReadOptions } from './nats.js';
export { readHttp } from './http.js';
export { startHttpReceiver, type HttpReceiver, type HttpBehaviour, type ReceivedRequest } from './http-receiver.js';
export type { ReaderOptions } from './decode/collector.js';
export { decodeEnvelope, type DecodedChange } from './decode/envelope.js';
export { decodeRecord, type RawRecord } from './decode/record.js';
export { AvroFrames } from './decode/avro-frames.js';
export { sinkTxnGroups } from './decode/kafka-groups.js';
export type { SinkTail, TailOptions } from './tails/tail.js';
export { KafkaTail, type KafkaTailOptions } from './tails/kafka-tail.js';
export { RedisTail, type RedisTailOptions } from './tails/redis-tail.js';
export { NatsTail, type NatsTailOptions } from './tails/nats-tail.js';
export { HttpTail, type HttpTailOptions } from './tails/http-tail.js';
export { DlqTail, type DlqTailOptions } from './tails/dlq-tail.js';
