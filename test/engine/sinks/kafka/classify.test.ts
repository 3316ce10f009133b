import { describe, expect, it } from 'vitest';
import { classifyKafkaError } from '../../../../engine/src/sinks/kafka/classify.js';
import { KafkaTimeoutError } from '../../../../engine/src/sinks/kafka/deadline.js';
import { chunkMessages } from '../../../../engine/src/sinks/kafka/kafkajs-client.js';

const ctx = { sink: 'k', client: 'kafkajs' as const, transactional: true, operation: 'send' };
const kjs = (type: string, code: number, retriable = false) => Object.assign(new Error(type.toLowerCase()), { name: 'KafkaJSProtocolError', type, code, retriable });
const rd = (code: number, message: string) => Object.assign(new Error(message), { code, isFatal: false });

describe('kafka error classification (reference failure table)', () => {
  it('producer fenced is fatal (kafkajs and librdkafka), also wrapped in retries', () => {
    const wrapped = Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: kjs('PRODUCER_FENCED', 90) });
    expect(classifyKafkaError(wrapped, ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SINK_FENCED', kind: 'fatal' });
    expect(classifyKafkaError(kjs('INVALID_PRODUCER_EPOCH', 47), ctx).code).toBe('TIDEMARK_ERR_SINK_FENCED');
    expect(classifyKafkaError(rd(-144, 'Local: This instance has been fenced by a newer instance'), { ...ctx, client: 'confluent' }).code).toBe('TIDEMARK_ERR_SINK_FENCED');
  });

  it('an old epoch on a non-transactional producer is not fencing: retry with a new producer', () => {
    expect(classifyKafkaError(kjs('INVALID_PRODUCER_EPOCH', 47), { ...ctx, transactional: false }).kind).toBe('retryable');
  });

  it('authentication and authorisation fail fast', () => {
    expect(classifyKafkaError(kjs('TOPIC_AUTHORIZATION_FAILED', 29), ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SINK_AUTH', kind: 'non-retryable' });
    expect(classifyKafkaError(Object.assign(new Error('SASL PLAIN authentication failed'), { name: 'KafkaJSSASLAuthenticationError' }), ctx).code).toBe('TIDEMARK_ERR_SINK_AUTH');
    expect(classifyKafkaError(rd(58, 'Broker: SASL Authentication failed'), ctx).code).toBe('TIDEMARK_ERR_SINK_AUTH');
  });

  it('a broker-side MESSAGE_TOO_LARGE is non-retryable and says how to catch it per event', () => {
    const e = classifyKafkaError(kjs('MESSAGE_TOO_LARGE', 10), ctx);
    expect(e).toMatchObject({ code: 'TIDEMARK_ERR_SINK_REJECTED', kind: 'non-retryable' });
    expect(e.message).toMatch(/message.max.bytes no higher than the topic's max.message.bytes/);
  });

  it('unreachable brokers, timeouts, leader moves and unknown topics are retryable', () => {
    for (const e of [
      Object.assign(new Error('Connection error: ECONNREFUSED'), { name: 'KafkaJSConnectionError' }),
      new KafkaTimeoutError('kafkajs produce', 30_000),
      kjs('NOT_LEADER_FOR_PARTITION', 6, true),
      kjs('UNKNOWN_TOPIC_OR_PARTITION', 3, true),
      kjs('KAFKA_STORAGE_ERROR', 56, true),
      rd(-195, 'Local: Broker transport failure'),
      rd(-192, 'Local: Message timed out'),
    ]) {
      expect(classifyKafkaError(e, ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', kind: 'retryable' });
    }
  });

  it('an unknown librdkafka property is a configuration error naming it', () => {
    const e = classifyKafkaError(new Error('No such configuration property: "linger.msx"'), { ...ctx, client: 'confluent' });
    expect(e).toMatchObject({ code: 'TIDEMARK_ERR_KAFKA_CLIENT_CONF', kind: 'non-retryable' });
    expect(e.message).toMatch(/linger.msx/);
  });

  it('programming errors are not retried', () => {
    expect(classifyKafkaError(new TypeError('x is not a function'), ctx).kind).toBe('non-retryable');
  });
});

describe('kafkajs send chunking', () => {
  const m = (n: number, bytes = 100) => ({ key: null, value: Buffer.alloc(bytes, n), headers: {} });
  it('cuts by bytes and count, keeping order across topics', () => {
    const batches = [
      { topic: 'a', messages: [m(1), m(2), m(3)] },
      { topic: 'b', messages: [m(4), m(5)] },
    ];
    const chunks = chunkMessages(batches, 1_000, 2);
    expect(chunks.map((c) => c.map((t) => `${t.topic}:${t.messages.map((x) => x.value[0]).join('')}`))).toEqual([['a:12'], ['a:3', 'b:4'], ['b:5']]);
    expect(chunkMessages(batches, 850, 100).map((c) => c.reduce((n, t) => n + t.messages.length, 0))).toEqual([2, 2, 1]);
  });

  it('never produces an empty chunk, and puts an oversized record alone', () => {
    expect(chunkMessages([], 10, 10)).toEqual([]);
    expect(chunkMessages([{ topic: 'a', messages: [m(1, 5000), m(2)] }], 1000, 10).map((c) => c[0]!.messages.length)).toEqual([1, 1]);
  });
});
