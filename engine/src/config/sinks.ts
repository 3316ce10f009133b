import { z } from 'zod';
import { bool, nonEmptyString, oneOf, positiveInt, stringMap } from './primitives.js';

export const envelopeSpec = z
  .union(
    [
      oneOf(['native', 'debezium'] as const).transform((type) => ({ type })),
      z.strictObject({ type: z.literal('native') }),
      z.strictObject({ type: z.literal('debezium') }),
      z.strictObject({ type: z.literal('cloudevents'), type_prefix: nonEmptyString() }),
    ],
    { error: 'expected native, debezium, or {type: cloudevents, type_prefix: ...}' },
  )
  .default({ type: 'native' });

export const encodingSpec = oneOf(['json'] as const).default('json');

/** Fields every sink shares. */
const common = {
  id: nonEmptyString(),
  envelope: envelopeSpec,
  encoding: encodingSpec,
  /** Gates checkpoints under commit_policy `required`. */
  required: bool().default(true),
};

export const kafkaSinkConfig = z.strictObject({
  ...common,
  brokers: nonEmptyString(),
  topic: nonEmptyString(),
  key: nonEmptyString().optional(),
  exactly_once: bool().default(false),
  send_timeout_secs: positiveInt().default(30),
  client_conf: stringMap().default({}),
  /** Which client library backs the sink; see docs/kafka-client.md for the measurement. */
  client: oneOf(['auto', 'kafkajs', 'confluent'] as const).default('auto'),
  /** Compacted topic that holds the exactly-once checkpoint (key `{pipeline}/{sink}`), written in each batch's transaction. */
  checkpoint_topic: nonEmptyString().default('__tidemark_checkpoints'),
  /** Event metadata as seven `tidemark-*` headers, one `tidemark` JSON header, or none (docs/sinks/kafka.md). */
  metadata_headers: oneOf(['full', 'compact', 'none'] as const).default('full'),
});

export const redisSinkConfig = z.strictObject({
  ...common,
  uri: nonEmptyString(),
  stream: nonEmptyString(),
  key: nonEmptyString().optional(),
  /** One Lua script per batch appends the entries and the sink's checkpoint atomically (docs/sinks/redis.md). */
  exactly_once: bool().default(false),
  send_timeout_secs: positiveInt().default(5),
  batch_timeout_secs: positiveInt().default(30),
  connect_timeout_secs: positiveInt().default(10),
  /** An entry larger than this (payload + fields) is poison (TIDEMARK_ERR_SINK_TOO_LARGE). */
  max_message_bytes: positiveInt().default(16_777_216),
});

export const natsSinkConfig = z.strictObject({
  ...common,
  url: nonEmptyString(),
  subject: nonEmptyString(),
  key: nonEmptyString().optional(),
  stream: nonEmptyString().optional(),
  create_stream: bool().default(false),
  duplicate_window_secs: positiveInt().default(120),
  send_timeout_secs: positiveInt().default(5),
  batch_timeout_secs: positiveInt().default(30),
  connect_timeout_secs: positiveInt().default(10),
  credentials_file: nonEmptyString().optional(),
  username: nonEmptyString().optional(),
  password: nonEmptyString().optional(),
  token: nonEmptyString().optional(),
});

export const httpSinkConfig = z.strictObject({
  ...common,
  url: nonEmptyString(),
  method: oneOf(['POST', 'PUT', 'PATCH'] as const).default('POST'),
  headers: stringMap().default({}),
  auth: z
    .union([
      z.strictObject({ bearer: nonEmptyString() }),
      z.strictObject({ basic: z.strictObject({ username: nonEmptyString(), password: z.string() }) }),
    ], { error: 'expected {bearer: <token>} or {basic: {username, password}}' })
    .optional(),
  batch_mode: bool().default(false),
  send_timeout_secs: positiveInt().default(10),
  batch_timeout_secs: positiveInt().default(30),
  connect_timeout_secs: positiveInt().default(5),
});

export const sinkSpec = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('kafka'), config: kafkaSinkConfig }),
    z.strictObject({ type: z.literal('redis'), config: redisSinkConfig }),
    z.strictObject({ type: z.literal('nats'), config: natsSinkConfig }),
    z.strictObject({ type: z.literal('http'), config: httpSinkConfig }),
  ],
  { error: (i) => `expected a sink with type kafka, redis, nats or http, got ${JSON.stringify((i.input as { type?: unknown } | undefined)?.type ?? i.input ?? null)}` },
);

export type EnvelopeSpec = z.infer<typeof envelopeSpec>;
export type KafkaSinkConfig = z.infer<typeof kafkaSinkConfig>;
export type RedisSinkConfig = z.infer<typeof redisSinkConfig>;
export type NatsSinkConfig = z.infer<typeof natsSinkConfig>;
export type HttpSinkConfig = z.infer<typeof httpSinkConfig>;
export type SinkSpec = z.infer<typeof sinkSpec>;
