import { describe, expect, it } from 'vitest';
import { kafkaSinkConfig } from '../../../../engine/src/config/sinks.js';
import { resolveProducerSettings } from '../../../../engine/src/sinks/kafka/client-conf.js';
import { kafkajsOptions, KAFKAJS_PROPERTIES } from '../../../../engine/src/sinks/kafka/kafkajs-options.js';

const config = (extra: Record<string, unknown> = {}) => kafkaSinkConfig.parse({ id: 'orders', brokers: 'a:9092, b:9093', topic: 't', ...extra });
const settings = (extra: Record<string, unknown> = {}) => resolveProducerSettings(config(extra), { pipeline: 'p1' });

describe('kafka sink config', () => {
  it('defaults the client to auto and the checkpoint topic to __tidemark_checkpoints', () => {
    expect(config()).toMatchObject({ client: 'auto', checkpoint_topic: '__tidemark_checkpoints', exactly_once: false, send_timeout_secs: 30 });
    expect(() => config({ client: 'rdkafka' })).toThrow(/auto, kafkajs, confluent/);
  });
});

describe('producer settings (librdkafka vocabulary)', () => {
  it('defaults to an idempotent, acks=all, uncompressed producer with Java partitioning', () => {
    const s = settings();
    expect(s.brokers).toEqual(['a:9092', 'b:9093']);
    expect(s.transactionalId).toBeNull();
    expect(s.properties).toMatchObject({ acks: 'all', 'enable.idempotence': 'true', 'compression.type': 'none', partitioner: 'murmur2_random', 'message.timeout.ms': '30000', 'client.id': 'tidemark-p1-orders' });
    expect(s.maxMessageBytes).toBe(1_000_000);
  });

  it('applies client_conf over the defaults, folding librdkafka aliases onto one name', () => {
    const s = settings({ client_conf: { 'queue.buffering.max.ms': '20', 'compression.codec': 'lz4', 'message.max.bytes': 2048, 'request.required.acks': '-1' } });
    expect(s.properties['linger.ms']).toBe('20');
    expect(s.properties['compression.type']).toBe('lz4');
    expect(s.properties.acks).toBe('all');
    expect(s.properties['queue.buffering.max.ms']).toBeUndefined();
    expect(s.maxMessageBytes).toBe(2048);
  });

  it('derives the transactional id and its overrides with exactly_once', () => {
    const s = settings({ exactly_once: true, send_timeout_secs: 90 });
    expect(s.transactionalId).toBe('tidemark-p1-orders');
    expect(s.properties).toMatchObject({ 'transactional.id': 'tidemark-p1-orders', 'enable.idempotence': 'true', acks: 'all', 'transaction.timeout.ms': '60000' });
    // message.timeout.ms must not exceed the transaction timeout.
    expect(s.properties['message.timeout.ms']).toBe('60000');
  });

  it('rejects client_conf that contradicts exactly_once, naming the property', () => {
    expect(() => settings({ exactly_once: true, client_conf: { acks: '1' } })).toThrow(/client_conf acks .*exactly_once needs acks=all/);
    expect(() => settings({ exactly_once: true, client_conf: { 'enable.idempotence': 'false' } })).toThrow(/enable.idempotence/);
    expect(() => settings({ exactly_once: true, client_conf: { 'transactional.id': 'mine' } })).toThrow(/transactional.id is derived/);
    expect(() => settings({ exactly_once: true, client_conf: { 'transaction.timeout.ms': '10000', 'message.timeout.ms': '20000' } })).toThrow(/message.timeout.ms must not exceed/);
  });

  it('rejects a broker list in client_conf and non-numeric sizes', () => {
    expect(() => settings({ client_conf: { 'bootstrap.servers': 'x:1' } })).toThrow(/sink's `brokers` field/);
    expect(() => settings({ client_conf: { 'message.max.bytes': 'big' } })).toThrow(/message.max.bytes must be a non-negative integer/);
  });
});

describe('kafkajs options from client_conf', () => {
  const opts = (extra: Record<string, unknown> = {}) => kafkajsOptions(settings(extra), { id: 'orders' });

  it('maps the common properties', () => {
    const o = opts({ client_conf: { 'request.timeout.ms': 7000, 'batch.size': 50000, 'batch.num.messages': 100, 'compression.type': 'gzip', 'retry.backoff.ms': 50, 'client.id': 'me' } });
    expect(o.client.requestTimeout).toBe(7000);
    expect(o.ackTimeoutMs).toBe(7000);
    expect(o.chunkBytes).toBe(50000);
    expect(o.chunkMessages).toBe(100);
    expect(o.gzip).toBe(true);
    expect(o.client.clientId).toBe('me');
    expect(o.client.retry?.initialRetryTime).toBe(50);
    expect(o.acks).toBe(-1);
    expect(o.producer).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
  });

  it('sets up a transactional producer with exactly_once', () => {
    const o = kafkajsOptions(settings({ exactly_once: true }), { id: 'orders' });
    expect(o.producer).toMatchObject({ transactionalId: 'tidemark-p1-orders', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60000 });
  });

  it('rejects an unknown property by name and lists what it supports', () => {
    expect(() => opts({ client_conf: { 'queue.buffering.max.kbytes': '1024' } })).toThrow(/client_conf queue.buffering.max.kbytes is not supported by the kafkajs client \(supported: .*linger.ms/);
    expect(KAFKAJS_PROPERTIES).toContain('sasl.username');
  });

  it('rejects values kafkajs cannot honour', () => {
    expect(() => opts({ client_conf: { 'compression.type': 'zstd' } })).toThrow(/compression.type must be none or gzip/);
    expect(() => opts({ client_conf: { partitioner: 'consistent_random' } })).toThrow(/partitioner/);
    expect(() => opts({ client_conf: { 'max.in.flight': 5 } })).toThrow(/max.in.flight must be 1 with enable.idempotence/);
    expect(() => opts({ client_conf: { 'socket.connection.setup.timeout.ms': '-3' } })).toThrow(/non-negative integer/);
  });

  it('builds SASL over TLS settings', () => {
    const o = opts({ client_conf: { 'security.protocol': 'SASL_SSL', 'sasl.mechanisms': 'SCRAM-SHA-512', 'sasl.username': 'u', 'sasl.password': 'p', 'enable.ssl.certificate.verification': 'false' } });
    expect(o.client.ssl).toEqual({ rejectUnauthorized: false });
    expect(o.client.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(() => opts({ client_conf: { 'sasl.username': 'u' } })).toThrow(/sasl_plaintext or sasl_ssl/);
  });
});
