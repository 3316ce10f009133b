import { describe, expect, it } from 'vitest';
import { SchemaSensor } from '../../../../engine/src/schema/sensing/index.js';
import { rowEvent, sourceSchema, spec } from './events.js';

const EVERY = { sampling: { warmup_events: 1000, sample_rate: 1 }, high_cardinality: { enabled: false } };

const ORDERS = sourceSchema({
  id: ['int', { kind: 'int32' }, false],
  amount: ['decimal(10,2)', { kind: 'decimal', precision: 10, scale: 2 }, false],
  status: ["enum('new','paid')", { kind: 'enum', symbols: ['new', 'paid'] }, true],
  big: ['bigint unsigned', { kind: 'uint64' }, true],
  meta: ['json', { kind: 'json' }, true],
});

describe('drift detection against the source schema', () => {
  it('finds nothing when every value is what the source declares', () => {
    const sensor = new SchemaSensor(spec(EVERY));
    sensor.observe(rowEvent({ id: 1, amount: '9.99', status: 'new', big: '18446744073709551615', meta: { a: 1 } }, { schema: ORDERS }));
    sensor.observe(rowEvent({ id: 1, amount: '1.00', status: null, big: 7, meta: null }, { schema: ORDERS, op: 'u' }));
    expect(sensor.drift()).toEqual([{ table: 'shop.orders', has_drift: false, columns: [], events_analyzed: 2, events_with_drift: 0 }]);
  });

  it('reports unexpected nulls, type mismatches and undeclared columns with counts and examples', () => {
    const sensor = new SchemaSensor(spec(EVERY));
    sensor.observe(rowEvent({ id: 1, amount: 99.99, status: 'lost', big: 'x', meta: {}, extra: true }, { schema: ORDERS }));
    sensor.observe(rowEvent({ id: 2, amount: null, status: 'new', big: 1, meta: [] }, { schema: ORDERS }));
    sensor.observe(rowEvent({ id: 3, amount: '1.00', status: 'new', big: 1, meta: {} }, { schema: ORDERS }));
    const drift = sensor.driftOf('shop.orders')!;
    expect(drift).toMatchObject({ table: 'shop.orders', has_drift: true, events_analyzed: 3, events_with_drift: 2 });
    const byColumn = Object.fromEntries(drift.columns.map((c) => [c.column, c]));
    expect(byColumn.amount).toEqual({ column: 'amount', expected_type: 'decimal(10,2)', observed_types: ['null', 'number', 'string'], mismatch_count: 2, examples: ['99.99', 'null'], drift_types: ['type_mismatch', 'unexpected_null'] });
    expect(byColumn.status).toMatchObject({ expected_type: "enum('new','paid')", mismatch_count: 1, examples: ['"lost"'], drift_types: ['type_mismatch'] });
    expect(byColumn.big).toMatchObject({ mismatch_count: 1, examples: ['"x"'], drift_types: ['type_mismatch'] });
    expect(byColumn.extra).toEqual({ column: 'extra', expected_type: null, observed_types: ['boolean'], mismatch_count: 1, examples: ['true'], drift_types: ['undeclared_column'] });
    expect(byColumn.meta).toBeUndefined();
    expect(byColumn.id).toBeUndefined();
  });

  it('reports a declared column no full row carried, until one does; a new source schema resets the expectation', () => {
    const sensor = new SchemaSensor(spec(EVERY));
    sensor.observe(rowEvent({ id: 1, amount: '1.00' }, { schema: ORDERS }));
    sensor.observe(rowEvent({ id: 1, amount: '2.00' }, { schema: ORDERS }));
    const missing = sensor.driftOf('orders')!.columns.filter((c) => c.drift_types.includes('missing_column'));
    expect(missing.map((c) => [c.column, c.expected_type, c.mismatch_count])).toEqual([
      ['status', "enum('new','paid')", 2],
      ['big', 'bigint unsigned', 2],
      ['meta', 'json', 2],
    ]);
    sensor.observe(rowEvent({ id: 1, status: 'paid', big: 1, meta: null }, { schema: ORDERS, op: 'u' }));
    expect(sensor.driftOf('orders')!.has_drift).toBe(false);
    // After a DDL the event's own schema is the expectation: the dropped column is no longer missing.
    const altered = sourceSchema({ id: ['int', { kind: 'int32' }, false], amount: ['decimal(10,2)', { kind: 'decimal', precision: 10, scale: 2 }, false] });
    sensor.observe(rowEvent({ id: 4, amount: '3.00' }, { schema: altered }));
    expect(sensor.driftOf('orders')!.has_drift).toBe(false);
  });

  it('reports a JSON column whose structure changes once the table has stabilized', () => {
    const sensor = new SchemaSensor(spec({ sampling: { warmup_events: 10, sample_rate: 1 }, high_cardinality: { enabled: false } }));
    for (let i = 1; i <= 20; i++) sensor.observe(rowEvent({ id: i, amount: '1.00', status: 'new', big: 1, meta: { brand: 'x', tags: ['a'] } }, { schema: ORDERS }));
    expect(sensor.driftOf('orders')!.has_drift).toBe(false);
    sensor.observe(rowEvent({ id: 21, amount: '1.00', status: 'new', big: 1, meta: { brand: 'x', tags: ['a'], promotion: { pct: 20 } } }, { schema: ORDERS }));
    const drift = sensor.driftOf('orders')!;
    expect(drift.columns).toEqual([{ column: 'meta', expected_type: 'json', observed_types: ['object'], mismatch_count: 1, examples: ['+promotion, +promotion.pct'], drift_types: ['json_structure_change'] }]);
    expect(drift.events_with_drift).toBe(1);
    expect(sensor.schema('orders:meta')!.sequence).toBe(2);
  });

  it('judges only sampled events, and skips Postgres unchanged-TOAST placeholders', () => {
    const sensor = new SchemaSensor(spec({ sampling: { warmup_events: 2, sample_rate: 4 }, high_cardinality: { enabled: false } }));
    for (let i = 1; i <= 10; i++) sensor.observe(rowEvent({ id: i, amount: null, status: '__tidemark_unchanged_toast__' }, { schema: ORDERS, op: 'u' }));
    // Events 1, 2 (warmup), then 6 and 10.
    expect(sensor.driftOf('orders')).toMatchObject({ events_analyzed: 4, events_with_drift: 4, columns: [{ column: 'amount', mismatch_count: 4 }] });
  });
});
