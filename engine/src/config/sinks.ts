import { z } from 'zod';
import { bool, nonEmptyString, oneOf, positiveInt, show, stringMap } from './primitives.js';

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

/** Confluent-compatible schema registry settings and Avro type choices (docs/avro.md). */
export const avroEncodingSpec = z
  .strictObject({
    type: z.literal('avro'),
    /** Base URL of the Confluent-compatible API, e.g. http://registry:8081 (Apicurio: .../apis/ccompat/v7). */
    schema_registry_url: nonEmptyString(),
    subject_strategy: oneOf(['topic_name', 'record_name', 'topic_record_name'] as const).default('topic_name'),
    username: nonEmptyString().optional(),
    password: z.string({ error: 'expected a string' }).optional(),
    bearer_token: nonEmptyString().optional(),
    tls: z
      .strictObject({
        ca_file: nonEmptyString().optional(),
        cert_file: nonEmptyString().optional(),
        key_file: nonEmptyString().optional(),
        insecure_skip_verify: bool().default(false),
      })
      .optional(),
    request_timeout_secs: positiveInt().default(10),
    /** Namespace of the generated records: `<namespace>.<source>.<db>.<table>`. */
    namespace: nonEmptyString().default('tidemark'),
    unsigned_bigint_mode: oneOf(['string', 'long'] as const).default('string'),
    enum_mode: oneOf(['string', 'enum'] as const).default('string'),
    naive_timestamp_mode: oneOf(['string', 'timestamp'] as const).default('string'),
    /** Kafka message keys: an Avro record of the primary key under `<topic>-key` (or a string schema for a key template), or plain text. */
    key_encoding: oneOf(['avro', 'string'] as const).default('avro'),
  })
  .superRefine((v, ctx) => {
    if ((v.username === undefined) !== (v.password === undefined)) ctx.addIssue({ code: 'custom', path: [v.username === undefined ? 'username' : 'password'], message: 'username and password go together (basic auth)' });
    if (v.bearer_token !== undefined && v.username !== undefined) ctx.addIssue({ code: 'custom', path: ['bearer_token'], message: 'choose basic auth (username/password) or bearer_token, not both' });
    if ((v.tls?.cert_file === undefined) !== (v.tls?.key_file === undefined)) ctx.addIssue({ code: 'custom', path: ['tls', v.tls?.cert_file === undefined ? 'cert_file' : 'key_file'], message: 'cert_file and key_file go together (client certificate)' });
  });

/**
 * `json` (default) or `{type: avro, schema_registry_url, ...}`. A bare word is read as `{type: word}`
 * so `encoding: avro` reports the missing registry URL rather than a generic mismatch.
 */
export const encodingSpec = z
  .preprocess(
    (v) => (typeof v === 'string' ? { type: v } : v),
    z.discriminatedUnion('type', [z.strictObject({ type: z.literal('json') }), avroEncodingSpec], { error: (i) => `expected json or {type: avro, schema_registry_url: ...}, got ${show((i.input as { type?: unknown } | undefined)?.type ?? i.input)}` }),
  )
  .transform((v) => (v.type === 'json' ? ('json' as const) : v))
  .default('json');

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
export type EncodingSpec = z.infer<typeof encodingSpec>;
export type AvroEncodingSpec = z.infer<typeof avroEncodingSpec>;
export type KafkaSinkConfig = z.infer<typeof kafkaSinkConfig>;
export type RedisSinkConfig = z.infer<typeof redisSinkConfig>;
export type NatsSinkConfig = z.infer<typeof natsSinkConfig>;
export type HttpSinkConfig = z.infer<typeof httpSinkConfig>;
export type SinkSpec = z.infer<typeof sinkSpec>;
