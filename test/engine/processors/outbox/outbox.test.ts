import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outboxProcessor as outboxSchema, type OutboxProcessorSpec } from '../../../../engine/src/config/processors.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { mapOutboxRow } from '../../../../engine/src/processors/outbox/outbox-mapping.js';
import { outboxProcessor } from '../../../../engine/src/processors/outbox/outbox-processor.js';
import { ctx, recordingMetrics, rowEvent } from '../helpers.js';

const spec = (o: Record<string, unknown> = {}): OutboxProcessorSpec => outboxSchema.parse({ type: 'outbox', ...o });

describe('outbox mapping', () => {
  it('maps the reference row: topic template, key = aggregate id, df-* headers, payload as the message', () => {
    const row = { id: 7, aggregate_type: 'Order', aggregate_id: '42', event_type: 'OrderCreated', payload: { total: 99.99 }, trace_id: 'abc' };
    const m = mapOutboxRow('c', row, spec({ topic: '${aggregate_type}.${event_type}', additional_headers: { 'x-trace-id': 'trace_id' } }));
    expect(m).toEqual({
      kind: 'message',
      after: { total: 99.99 },
      routing: {
        topic: 'Order.OrderCreated',
        key: '42',
        headers: { 'df-event-id': '7', 'df-aggregate-type': 'Order', 'df-aggregate-id': '42', 'df-event-type': 'OrderCreated', 'x-trace-id': 'abc' },
      },
    });
  });

  it('falls back from the template to the topic column to default_topic, and parses JSON text payloads', () => {
    const o = spec({ topic: '${domain}.${action}', default_topic: 'events.unrouted', columns: { payload: 'data' } });
    expect(mapOutboxRow('c', { topic: 'custom', data: '{"a":1}' }, o)).toMatchObject({ after: { a: 1 }, routing: { topic: 'custom' } });
    expect(mapOutboxRow('c', { data: { a: 1 } }, o)).toMatchObject({ routing: { topic: 'events.unrouted' } });
    expect(mapOutboxRow('c', { domain: 'orders', action: 'paid', data: { a: 1 } }, o)).toMatchObject({ routing: { topic: 'orders.paid' } });
  });

  it('uses the key template, stringifies header values and skips objects and nulls', () => {
    const m = mapOutboxRow('c', { aggregate_id: 5, aggregate_type: null, event_type: { x: 1 }, id: true, payload: { p: 1 }, tenant: 't1' }, spec({ key: '${tenant}-${aggregate_id}' }));
    expect(m).toMatchObject({ routing: { key: 't1-5', headers: { 'df-aggregate-id': '5', 'df-event-id': 'true' } } });
    expect((m as { routing: { headers: object } }).routing.headers).not.toHaveProperty('df-aggregate-type');
  });

  it('drops non-inserts, null and non-object payloads; strict names the missing fields', () => {
    expect(mapOutboxRow('u', { payload: {} }, spec())).toEqual({ kind: 'drop', reason: 'non_insert' });
    expect(mapOutboxRow('c', null, spec())).toEqual({ kind: 'drop', reason: 'null_payload' });
    expect(mapOutboxRow('c', { payload: [1, 2] }, spec())).toEqual({ kind: 'drop', reason: 'non_object' });
    expect(mapOutboxRow('c', { payload: { a: 1 }, aggregate_id: '1' }, spec({ strict: true }))).toEqual({ kind: 'drop', reason: 'strict_missing_fields', missing: ['topic', 'aggregate_type', 'event_type'] });
  });
});

describe('outbox processor', () => {
  it('replaces tagged rows by their messages, passes other events untouched, counts per reason', () => {
    const metrics = recordingMetrics();
    const p = outboxProcessor(spec({ topic: '${aggregate_type}', raw_payload: true }), ctx(metrics));
    const table = rowEvent(1, { after: { id: 1 } });
    const msg = rowEvent(2, { table: 'outbox', outbox: 'shop.outbox', after: { id: 9, aggregate_type: 'Order', aggregate_id: '42', event_type: 'Created', payload: { total: 1 } } });
    const update = rowEvent(3, { op: 'u', table: 'outbox', outbox: 'shop.outbox', before: { id: 9 }, after: { id: 9 } });
    const out = p.process([table, msg, update]) as ChangeEvent[];
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(table);
    expect(out[1]).toMatchObject({ id: 'ev-2', op: 'c', before: null, after: { total: 1 }, primaryKey: [], source: msg.source, tx: msg.tx, routing: { topic: 'Order', key: '42', raw: true } });
    expect(out[1]!.outbox).toBeUndefined();
    expect(metrics.calls).toContainEqual(['outbox', [1, { non_insert: 1, non_object: 0, null_payload: 0, strict_missing_fields: 0 }]]);
  });

  it('scopes by tables: a Postgres prefix or a qualified MySQL table', () => {
    const p = outboxProcessor(spec({ tables: ['orders_outbox'], topic: 'orders.${event_type}' }), ctx());
    const mine = rowEvent(1, { table: 'orders_outbox', outbox: 'orders_outbox', after: { event_type: 'paid', payload: {} } });
    const other = rowEvent(2, { table: 'payments_outbox', outbox: 'payments_outbox', after: { event_type: 'paid', payload: {} } });
    const [a, b] = p.process([mine, other]) as ChangeEvent[];
    expect(a!.routing?.topic).toBe('orders.paid');
    expect(b).toBe(other);
  });

  it('fails the whole batch in strict mode with a poison error naming the fields', () => {
    const p = outboxProcessor(spec({ strict: true }), ctx());
    const bad = rowEvent(1, { table: 'outbox', outbox: 'outbox', after: { payload: {} } });
    expect(() => p.process([bad])).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_PROCESSOR_OUTBOX', kind: 'poison', message: expect.stringMatching(/lacks topic, aggregate_type, aggregate_id, event_type/) }));
  });
});

describe('outbox mapping property', () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}$/);
  it('routes every complete row to aggregate_type.event_type, keyed by aggregate id, its payload as the message', () => {
    fc.assert(
      fc.property(word, fc.oneof(word, fc.integer({ min: 1, max: 1e9 })), word, fc.dictionary(word, fc.jsonValue(), { maxKeys: 4 }), fc.nat(), (type, id, event, payload, eventId) => {
        const m = mapOutboxRow('c', { id: eventId, aggregate_type: type, aggregate_id: id, event_type: event, payload }, spec({ topic: '${aggregate_type}.${event_type}', strict: true }));
        expect(m).toEqual({
          kind: 'message',
          after: payload,
          routing: { topic: `${type}.${event}`, key: String(id), headers: { 'df-event-id': String(eventId), 'df-aggregate-type': type, 'df-aggregate-id': String(id), 'df-event-type': event } },
        });
      }),
      { numRuns: 300 },
    );
  });
});
