import { describe, expect, it } from 'vitest';
import { kafkaSinkConfig } from '../../../../engine/src/config/sinks.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { MessageBuilder, topicProblem } from '../../../../engine/src/sinks/kafka/messages.js';
import { memoryEvent } from '../../../../engine/src/testing/index.js';

const ev = (offset: number, after: Record<string, unknown> | null, table = 'orders', op: ChangeEvent['op'] = 'c'): ChangeEvent => {
  const base = memoryEvent(offset, { key: 1, txId: `tx${offset}`, txIndex: 0, txEnd: true, table, op });
  return { ...base, source: { ...base.source, db: 'shop' }, after, before: op === 'd' ? { id: 9 } : null, ts: 1_700_000_000_000 };
};
const builder = (extra: Record<string, unknown> = {}, maxMessageBytes = 1_000_000) =>
  new MessageBuilder(kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'cdc.${source.db}.${source.table}', ...extra }), { pipeline: 'p', tenant: 'acme', maxMessageBytes });

describe('kafka message building', () => {
  it('routes by the topic template and keeps source order per topic', () => {
    const built = builder().build([ev(0, { id: 1 }), ev(1, { id: 2 }, 'items'), ev(2, { id: 3 })]);
    expect(built.topics.map((t) => [t.topic, t.messages.length])).toEqual([['cdc.shop.orders', 2], ['cdc.shop.items', 1]]);
    expect(built.topics[0]!.messages.map((m) => JSON.parse(m.value.toString()).after.id)).toEqual([1, 3]);
    expect(built.count).toBe(3);
  });

  it('keys by the serialised primary key by default (before image for deletes), or by the key template', () => {
    const [m] = builder().build([ev(0, { id: 7, name: 'x' })]).topics[0]!.messages;
    expect(m!.key!.toString()).toBe('{"id":7}');
    const [d] = builder().build([ev(1, null, 'orders', 'd')]).topics[0]!.messages;
    expect(d!.key!.toString()).toBe('{"id":9}');
    const [t] = builder({ key: '${after.name}-${op}' }).build([ev(0, { id: 7, name: 'x' })]).topics[0]!.messages;
    expect(t!.key!.toString()).toBe('x-c');
  });

  it('has no key when the table has no primary key', () => {
    const e = { ...ev(0, { a: 1 }), primaryKey: [] };
    expect(builder().build([e]).topics[0]!.messages[0]!.key).toBeNull();
  });

  it('attaches the event headers', () => {
    const [m] = builder().build([ev(3, { id: 1 })]).topics[0]!.messages;
    expect(m!.headers).toMatchObject({ 'tidemark-event-id': 'ev-3', 'tidemark-idempotency-key': 'acme|shop.orders|tx3|0', 'tidemark-tx-end': '1', 'tidemark-op': 'c', 'tidemark-table': 'shop.orders' });
  });

  it('serialises with the configured envelope', () => {
    const [m] = builder({ envelope: 'debezium' }).build([ev(0, { id: 1 })]).topics[0]!.messages;
    expect(Object.keys(JSON.parse(m!.value.toString()))).toEqual(['schema', 'payload']);
  });

  it('returns poison events (empty route, illegal topic, too large) and keeps their neighbours', () => {
    const b = builder({ topic: 't.${after.route}' }, 2_000);
    const events = [ev(0, { id: 1, route: 'a' }), ev(1, { id: 2 }), ev(2, { id: 3, route: 'b c' }), ev(3, { id: 4, route: 'a', pad: 'x'.repeat(3_000) }), ev(4, { id: 5, route: 'a' })];
    const built = b.build(events);
    expect(built.topics).toEqual([{ topic: 't.a', messages: expect.any(Array) }]);
    expect(built.topics[0]!.messages.map((m) => JSON.parse(m.value.toString()).after.id)).toEqual([1, 5]);
    expect(built.poisoned.map((p) => [p.event.id, p.error.code])).toEqual([
      ['ev-1', 'TIDEMARK_ERR_SINK_ROUTING'],
      ['ev-2', 'TIDEMARK_ERR_SINK_ROUTING'],
      ['ev-3', 'TIDEMARK_ERR_SINK_TOO_LARGE'],
    ]);
    expect(built.poisoned.every((p) => p.error.kind === 'poison')).toBe(true);
    expect(built.poisoned[2]!.error.message).toMatch(/over message.max.bytes 2000/);
  });

  it('knows Kafka\'s topic name rules', () => {
    expect(topicProblem('cdc.shop-1_x')).toBeNull();
    expect(topicProblem('a/b')).toMatch(/characters/);
    expect(topicProblem('..')).toMatch(/legal/);
    expect(topicProblem('x'.repeat(250))).toMatch(/249/);
  });
});
