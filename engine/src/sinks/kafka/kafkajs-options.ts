import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, ProducerConfig, RetryOptions, SASLOptions } from 'kafkajs';
import { confError, integerProperty, type ProducerSettings } from './client-conf.js';

/** What the kafkajs client is built from, mapped from librdkafka-named properties. */
export interface KafkajsOptions {
  readonly client: KafkaConfig;
  readonly producer: ProducerConfig;
  /** -1 (all), 1 or 0: kafkajs sets acks per send call. */
  readonly acks: number;
  /** Broker-side ack timeout per produce request. */
  readonly ackTimeoutMs: number;
  readonly gzip: boolean;
  /** kafkajs puts each partition's share of a send into one record batch: sends are cut to these bounds. */
  readonly chunkBytes: number;
  readonly chunkMessages: number;
  /** Bound on one send call (message.timeout.ms): kafkajs itself would retry for ever. */
  readonly sendTimeoutMs: number;
}

interface Draft {
  client: KafkaConfig & { retry: RetryOptions };
  producer: ProducerConfig & { retry: RetryOptions };
  acks: number;
  ackTimeoutMs: number;
  gzip: boolean;
  chunkBytes: number;
  chunkMessages: number;
  sendTimeoutMs: number;
  security: string;
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
  tls: ConnectionOptions;
}

type Handler = (value: string, d: Draft, int: () => number) => string | void;

const bool = (value: string): boolean | null => (value === 'true' ? true : value === 'false' ? false : null);
const setRetry = (d: Draft, field: keyof RetryOptions, n: number): void => {
  (d.client.retry as Record<string, unknown>)[field] = n;
  (d.producer.retry as Record<string, unknown>)[field] = n;
};

/**
 * The librdkafka properties the kafkajs client understands. Each handler returns a problem
 * description for a bad value. Anything not listed is rejected by name: silently ignoring a
 * property would let a user believe a setting is in force when it is not.
 */
const HANDLERS: Readonly<Record<string, Handler>> = {
  'client.id': (v, d) => void (d.client.clientId = v),
  acks: (v, d) => {
    const acks = v === 'all' ? -1 : Number(v);
    if (![-1, 0, 1].includes(acks)) return 'must be all, -1, 0 or 1';
    d.acks = acks;
  },
  'enable.idempotence': (v, d) => {
    const b = bool(v);
    if (b === null) return 'must be true or false';
    d.producer.idempotent = b;
  },
  'transactional.id': (v, d) => void (d.producer.transactionalId = v),
  'transaction.timeout.ms': (_v, d, int) => void (d.producer.transactionTimeout = int()),
  'compression.type': (v, d) => {
    if (v !== 'none' && v !== 'gzip') return 'must be none or gzip with the kafkajs client (snappy, lz4 and zstd need client: confluent)';
    d.gzip = v === 'gzip';
  },
  // The sink hands each batch over whole, so there is nothing to linger for: accepted, no effect.
  'linger.ms': (_v, _d, int) => void int(),
  partitioner: (v) => (v === 'murmur2_random' || v === 'murmur2' ? undefined : 'must be murmur2_random or murmur2 with the kafkajs client (its partitioner is Java\'s murmur2)'),
  'message.timeout.ms': (_v, d, int) => void (d.sendTimeoutMs = int()),
  'message.max.bytes': (_v, _d, int) => void int(),
  'batch.size': (_v, d, int) => void (d.chunkBytes = int()),
  'batch.num.messages': (_v, d, int) => void (d.chunkMessages = int()),
  'request.timeout.ms': (_v, d, int) => {
    d.client.requestTimeout = int();
    d.ackTimeoutMs = int();
  },
  'socket.connection.setup.timeout.ms': (_v, d, int) => void (d.client.connectionTimeout = int()),
  retries: (_v, d, int) => setRetry(d, 'retries', int()),
  'retry.backoff.ms': (_v, d, int) => setRetry(d, 'initialRetryTime', int()),
  'retry.backoff.max.ms': (_v, d, int) => setRetry(d, 'maxRetryTime', int()),
  'max.in.flight': (_v, d, int) => void (d.producer.maxInFlightRequests = int()),
  'metadata.max.age.ms': (_v, d, int) => void (d.producer.metadataMaxAge = int()),
  'topic.metadata.refresh.interval.ms': (_v, d, int) => void (d.producer.metadataMaxAge = int()),
  'allow.auto.create.topics': (v, d) => {
    const b = bool(v);
    if (b === null) return 'must be true or false';
    d.producer.allowAutoTopicCreation = b;
  },
  'security.protocol': (v, d) => {
    if (!['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'].includes(v.toLowerCase())) return 'must be plaintext, ssl, sasl_plaintext or sasl_ssl';
    d.security = v.toLowerCase();
  },
  'sasl.mechanism': (v, d) => {
    if (!['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].includes(v.toUpperCase())) return 'must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with the kafkajs client';
    d.saslMechanism = v.toLowerCase();
  },
  'sasl.username': (v, d) => void (d.saslUsername = v),
  'sasl.password': (v, d) => void (d.saslPassword = v),
  'ssl.ca.location': (v, d) => void (d.tls.ca = [readFileSync(v)]),
  'ssl.certificate.location': (v, d) => void (d.tls.cert = readFileSync(v)),
  'ssl.key.location': (v, d) => void (d.tls.key = readFileSync(v)),
  'ssl.key.password': (v, d) => void (d.tls.passphrase = v),
  'enable.ssl.certificate.verification': (v, d) => {
    const b = bool(v);
    if (b === null) return 'must be true or false';
    d.tls.rejectUnauthorized = b;
  },
};

export const KAFKAJS_PROPERTIES: readonly string[] = Object.keys(HANDLERS);

export function kafkajsOptions(settings: ProducerSettings, sink: { id: string }): KafkajsOptions {
  const d: Draft = {
    // librdkafka waits 30 s for a connection; kafkajs' 1 s default fails on a busy host.
    client: { brokers: [...settings.brokers], connectionTimeout: 10_000, retry: {} },
    producer: { retry: {} },
    acks: -1,
    ackTimeoutMs: 30_000,
    gzip: false,
    chunkBytes: 1_000_000,
    chunkMessages: 10_000,
    sendTimeoutMs: settings.sendTimeoutMs,
    security: 'plaintext',
    tls: {},
  };
  for (const [name, value] of Object.entries(settings.properties)) {
    const handler = HANDLERS[name];
    if (!handler) throw confError(sink, name, `is not supported by the kafkajs client (supported: ${KAFKAJS_PROPERTIES.join(', ')}); use client: confluent for other librdkafka properties`);
    let problem: string | void;
    try {
      problem = handler(value, d, () => integerProperty(sink, settings.properties, name));
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'TIDEMARK_ERR_KAFKA_CLIENT_CONF') throw e;
      problem = `could not be applied: ${(e as Error).message}`;
    }
    if (problem) throw confError(sink, name, `${problem}, got ${JSON.stringify(value)}`);
  }
  if (d.producer.idempotent) {
    // kafkajs assigns sequence numbers when a request is built; more than one in flight risks
    // OUT_OF_ORDER_SEQUENCE_NUMBER (kafkajs #598), so the idempotent producer sends one at a time.
    if ((d.producer.maxInFlightRequests ?? 1) !== 1) throw confError(sink, 'max.in.flight', 'must be 1 with enable.idempotence=true on the kafkajs client');
    d.producer.maxInFlightRequests = 1;
    if (d.acks !== -1) throw confError(sink, 'acks', 'must be all with enable.idempotence=true');
  }
  applySecurity(d, sink);
  const { client, producer, acks, ackTimeoutMs, gzip, chunkBytes, chunkMessages, sendTimeoutMs } = d;
  return { client, producer, acks, ackTimeoutMs, gzip, chunkBytes: Math.max(1, chunkBytes), chunkMessages: Math.max(1, chunkMessages), sendTimeoutMs };
}

function applySecurity(d: Draft, sink: { id: string }): void {
  const usesTls = d.security === 'ssl' || d.security === 'sasl_ssl';
  if (usesTls) d.client.ssl = Object.keys(d.tls).length > 0 ? d.tls : true;
  else if (Object.keys(d.tls).length > 0) throw confError(sink, 'security.protocol', `is ${d.security}, but ssl.* properties are set; use ssl or sasl_ssl`);
  if (d.security.startsWith('sasl_')) {
    if (!d.saslUsername || d.saslPassword === undefined) throw confError(sink, 'sasl.username', 'and sasl.password are required with a sasl_* security.protocol');
    const mechanism = (d.saslMechanism ?? 'plain') as 'plain' | 'scram-sha-256' | 'scram-sha-512';
    d.client.sasl = { mechanism, username: d.saslUsername, password: d.saslPassword } as SASLOptions;
  } else if (d.saslUsername || d.saslMechanism) {
    throw confError(sink, 'security.protocol', `is ${d.security}, but sasl.* properties are set; use sasl_plaintext or sasl_ssl`);
  }
}
