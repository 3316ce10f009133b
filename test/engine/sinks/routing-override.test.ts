import { describe, expect, it } from 'vitest';
import { httpSinkConfig, kafkaSinkConfig } from '../../../engine/src/config/sinks.js';
import { compileTemplate, createSerializer, idempotencyKey, type ChangeEvent, type RouteOverride } from '../../../engine/src/event/index.js';
import { planRequests } from '../../../engine/src/sinks/http/requests.js';
import { MessageBuilder } from '../../../engine/src/sinks/kafka/messages.js';
import { buildMessages } from '../../../engine/src/sinks/nats/messages.js';
import { buildEntries } from '../../../engine/src/sinks/redis/entries.js';
import { memoryEvent } from '../../../engine/src/testing/index.js';

/**
 * The reference's dynamic routing, sink by sink: a processor's `routing` (JS `ev.route()`, the
 * outbox processor) overrides the topic/stream/subject and key templates and adds headers;
 * `raw` sends `after` without the envelope.
 */
const ctx = { pipeline: 'p', tenant: 'acme' };
const event = (offset: number, routing?: RouteOverride, extra: Partial<ChangeEvent> = {}): ChangeEvent => ({
  ...memoryEvent(offset, { key: offset, txId: `tx${offset}`, txIndex: 0, txEnd: true, table: 'orders' }),
  ...(routing ? { routing } : {}),
  ...extra,
});
const batch = (events: ChangeEvent[]) => ({ seq: 1, events, bytes: 0, position: events.at(-1)!.source.position });
const serializer = createSerializer({ type: 'native' }, 'json');

describe('routing overrides', () => {
  it('Kafka: topic, key and headers from routing; the template, primary key and metadata otherwise', () => {
    const builder = new MessageBuilder(kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'cdc.${source.table}', key: '${after.id}' }), { ...ctx, maxMessageBytes: 1e6 });
    const built = builder.build([event(1, { topic: 'orders.priority', key: 'cust-5', headers: { 'x-tier': 'high', 'tidemark-op': 'forged' } }), event(2)]);
    expect(built.topics.map((t) => t.topic)).toEqual(['orders.priority', 'cdc.orders']);
    const [routed] = built.topics[0]!.messages;
    expect(routed!.key!.toString()).toBe('cust-5');
    expect(routed!.headers).toMatchObject({ 'x-tier': 'high', 'tidemark-op': 'c' });
    expect(built.topics[1]!.messages[0]!.key!.toString()).toBe('2');
  });

  it('Kafka: an illegal override is poison for that event only', () => {
    const builder = new MessageBuilder(kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'cdc' }), { ...ctx, maxMessageBytes: 1e6 });
    const built = builder.build([event(1, { topic: 'not a topic!' }), event(2)]);
    expect(built.count).toBe(1);
    expect(built.poisoned[0]!.error).toMatchObject({ code: 'TIDEMARK_ERR_SINK_ROUTING', kind: 'poison', message: expect.stringMatching(/override \(routing.topic\) "not a topic!" has characters outside/) });
  });

  it('raw payload: the value is `after` itself, no envelope', () => {
    const builder = new MessageBuilder(kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'cdc' }), { ...ctx, maxMessageBytes: 1e6 });
    const [m] = builder.build([event(1, { raw: true }, { after: { total: 99.99 } })]).topics[0]!.messages;
    expect(JSON.parse(m!.value.toString())).toEqual({ total: 99.99 });
  });

  it('Redis: stream key, df-key and a df-headers field', () => {
    const { entries } = buildEntries(batch([event(1, { topic: 'events:Order', key: '42', headers: { 'df-aggregate-type': 'Order' } }), event(2)]), {
      tenant: 'acme', stream: compileTemplate('cdc:${source.table}', ctx), key: null, serializer, maxMessageBytes: 1e6, dlqEnabled: true,
    });
    expect(entries.map((e) => e.stream)).toEqual(['events:Order', 'cdc:orders']);
    const fields = (i: number) => Object.fromEntries(Array.from({ length: entries[i]!.fields.length / 2 }, (_, k) => [String(entries[i]!.fields[2 * k]), String(entries[i]!.fields[2 * k + 1])]));
    expect(fields(0)).toMatchObject({ 'df-key': '42', 'df-headers': '{"df-aggregate-type":"Order"}' });
    expect(fields(1)).not.toHaveProperty('df-headers');
  });

  it('NATS: subject, df-key and individual headers; a subject outside the stream is poison', () => {
    const base = { tenant: 'acme', key: null, serializer, maxPayload: 1e6, streamName: 'CDC', dlqEnabled: true };
    const { messages, poisoned } = buildMessages(batch([event(1, { topic: 'cdc.priority', key: 'k1', headers: { 'x-tier': 'high' } }), event(2, { topic: 'elsewhere.x' })]), {
      ...base, subject: compileTemplate('cdc.${source.table}', ctx), streamSubjects: ['cdc.>'],
    });
    expect(messages.map((m) => m.subject)).toEqual(['cdc.priority']);
    expect(messages[0]!.headers.get('df-key')).toBe('k1');
    expect(messages[0]!.headers.get('x-tier')).toBe('high');
    expect(poisoned[0]!.error.message).toMatch(/subject "elsewhere.x" .* is not captured by stream CDC/);
  });

  it('HTTP: routing headers and key lane in per-event mode; the url stays the template\'s', () => {
    const config = httpSinkConfig.parse({ id: 'h', url: 'http://127.0.0.1:1/cdc/${source.table}', headers: { 'X-Source': 'tidemark' } });
    const { requests } = planRequests(batch([event(1, { topic: 'ignored', key: 'k1', headers: { 'X-Tier': 'high', 'x-source': 'forged' } })]), {
      tenant: 'acme', url: compileTemplate(config.url, ctx), serializer, sinkId: 'h', baseHeaders: { 'x-source': 'tidemark' }, batchMode: false, dlqEnabled: true,
    });
    expect(requests[0]!.url).toBe('http://127.0.0.1:1/cdc/orders');
    expect(requests[0]!.headers).toMatchObject({ 'x-tier': 'high', 'x-source': 'tidemark' });
    expect(requests[0]!.lane).toBe('http://127.0.0.1:1/cdc/orders\nk1');
  });

  it('a copy a processor split off has its own idempotency key', () => {
    expect(idempotencyKey('acme', event(1))).toBe('acme|db.orders|tx1|0');
    expect(idempotencyKey('acme', event(1, undefined, { copy: 2 }))).toBe('acme|db.orders|tx1|0.2');
  });
});
