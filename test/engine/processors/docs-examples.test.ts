import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateSpec, type PipelineSpec } from '../../../engine/src/config/index.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import type { Processor } from '../../../engine/src/processors/processor.js';
import { createProcessor } from '../../../engine/src/processors/registry.js';
import { ctx, rowEvent } from './helpers.js';

/** Every pipeline in docs/processors.md loads as the engine loads it, and does what the page says. */
const DOC = readFileSync('docs/processors.md', 'utf8');
const ENV = { MYSQL_DSN: 'mysql://cdc:secret@127.0.0.1:3306/shop', POSTGRES_DSN: 'postgres://cdc:secret@127.0.0.1:5432/app', KAFKA_BROKERS: '127.0.0.1:9092' };
const examples = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => y.includes('kind: Pipeline'));

const made: Processor[] = [];
afterAll(async () => {
  for (const p of made) await p.close?.();
});

function pipeline(name: string): PipelineSpec {
  const text = examples.find((y) => y.includes(`name: ${name},`));
  if (!text) throw new Error(`docs/processors.md has no pipeline named ${name}`);
  const { spec, problems } = validateSpec(parse(text), `docs/processors.md (${name})`, ENV);
  expect(problems).toEqual([]);
  return spec!;
}

async function run(name: string, events: ChangeEvent[]): Promise<ChangeEvent[]> {
  let out: readonly ChangeEvent[] = events;
  for (const p of pipeline(name).spec.processors) {
    const processor = createProcessor(p, ctx());
    made.push(processor);
    out = await processor.process(out);
  }
  return [...out];
}

describe('docs/processors.md examples', () => {
  it('every example pipeline is valid', () => {
    expect(examples.length).toBe(6);
    for (const y of examples) {
      const name = /name: ([\w-]+),/.exec(y)![1]!;
      expect(pipeline(name).metadata.name).toBe(name);
    }
  });

  it('javascript: redacts e-mails and tags the events', async () => {
    const [e] = await run('customers-redacted', [rowEvent(7, { after: { id: 7, email: 'ada@example.com' } })]);
    expect(e).toMatchObject({ after: { id: 7, email: '***@example.com' }, tags: ['redacted'] });
  });

  it('javascript routing: priority and standard topics, keyed by customer', async () => {
    const out = await run('orders-routed', [rowEvent(1, { after: { id: 1, total_amount: '20000.00', customer_id: 5 } }), rowEvent(2, { after: { id: 2, total_amount: 10, customer_id: 6 } })]);
    expect(out.map((e) => e.routing)).toEqual([{ topic: 'orders.priority', key: '5', headers: { 'x-tier': 'high-value' } }, { topic: 'orders.standard', key: '6' }]);
  });

  it('filter: active orders of 100 or more, creates and updates, not from tmp tables', async () => {
    const out = await run('active-orders', [
      rowEvent(1, { after: { status: 'active', total: 150 } }),
      rowEvent(2, { after: { status: 'active', total: 50 } }),
      rowEvent(3, { table: 'orders_tmp', after: { status: 'active', total: 150 } }),
      rowEvent(4, { op: 'd', before: { status: 'active', total: 150 } }),
    ]);
    expect(out.map((e) => e.id)).toEqual(['ev-1']);
  });

  it('flatten: the documented input becomes the documented output', async () => {
    const [e] = await run('orders-flat', [rowEvent(1, { after: { order_id: 'abc', customer: { id: 1, address: { city: 'Berlin' } }, tags: ['vip'], meta: {} } })]);
    expect(e!.after).toEqual({ order_id: 'abc', customer__id: 1, customer__address__city: 'Berlin', tags: ['vip'], meta: {} });
  });

  it('outbox, MySQL table and Postgres message: events.Order, key 42, the payload as the value', async () => {
    const mysqlRow = rowEvent(1, { db: 'shop', table: 'outbox', outbox: 'shop.outbox', after: { id: 9, aggregate_type: 'Order', aggregate_id: '42', event_type: 'OrderCreated', payload: '{"total": 99.99}' } });
    const [m] = await run('shop-events', [mysqlRow]);
    expect(m).toMatchObject({ after: { total: 99.99 }, routing: { topic: 'events.Order', key: '42', raw: true, headers: { 'df-aggregate-type': 'Order', 'df-aggregate-id': '42', 'df-event-type': 'OrderCreated', 'df-event-id': '9', 'x-event': 'OrderCreated' } } });
    const pgMessage = rowEvent(2, { db: 'app', table: 'outbox', outbox: 'outbox', after: { aggregate_type: 'Order', aggregate_id: '42', event_type: 'OrderCreated', payload: { total: 99.99 } } });
    const [p] = await run('order-events', [pgMessage, rowEvent(3, { table: 'orders', after: { id: 42 } })]);
    expect(p).toMatchObject({ after: { total: 99.99 }, routing: { topic: 'events.Order', key: '42' } });
  });
});
