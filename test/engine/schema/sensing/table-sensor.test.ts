import { describe, expect, it } from 'vitest';
import { SchemaSensor, TableSensor } from '../../../../engine/src/schema/sensing/index.js';
import { rowEvent, settings, spec } from './events.js';

/** Every event analysed, no cache, no classification: the plain inference. */
const EVERY = { sampling: { warmup_events: 1000, sample_rate: 1, structure_cache: false }, high_cardinality: { enabled: false } };

function sensorOf(rows: Array<Record<string, unknown>>, overrides: Record<string, unknown> = EVERY): TableSensor {
  const t = new TableSensor('shop.orders', settings(overrides));
  rows.forEach((r, i) => t.observe(rowEvent(r), r, 1_700_000_000_000 + i));
  return t;
}

describe('schema sensing: inference', () => {
  it('infers each column\'s JSON types, nullability and optionality from the rows', () => {
    const sensor = new SchemaSensor(spec(EVERY), { now: () => 1_700_000_000_000 });
    for (const row of [{ id: 1, amount: '9.99', note: null, tags: ['a'] }, { id: 2, amount: 3, tags: [] }, { id: 3, amount: '1.00', note: 'x', tags: ['b', 'c'], meta: { k: 1 } }]) sensor.observe(rowEvent(row));
    const detail = sensor.schema('shop.orders')!;
    expect(detail).toMatchObject({ table: 'shop.orders', sequence: expect.any(Number), event_count: 3, stabilized: false, first_seen: '2023-11-14T22:13:20.000Z' });
    expect(detail.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(detail.fields).toEqual([
      { name: 'id', types: ['integer'], nullable: false, optional: false },
      { name: 'amount', types: ['integer', 'string'], nullable: false, optional: false },
      { name: 'note', types: ['string'], nullable: true, optional: true },
      { name: 'tags', types: ['array'], nullable: false, optional: false, array_element_types: ['string'] },
      { name: 'meta', types: ['object'], nullable: false, optional: true, nested_field_count: 1 },
    ]);
    // The unqualified name finds the only table of that name.
    expect(sensor.schema('orders')?.table).toBe('shop.orders');
    expect(sensor.schema('nope')).toBeNull();
  });

  it('looks into JSON columns (table:column, dotted field names) as deep as deep_inspect allows', () => {
    const rows = [
      { id: 1, metadata: { user_agent: 'curl', ip: null, tags: ['x'], geo: { lat: 1.5, deep: { deeper: true } } } },
      { id: 2, metadata: { user_agent: 'wget', ip: '10.0.0.1', tags: [] } },
    ];
    const sensor = new SchemaSensor(spec({ ...EVERY, deep_inspect: { max_depth: 2 } }));
    for (const r of rows) sensor.observe(rowEvent(r));
    expect(sensor.schemas().map((s) => s.table)).toEqual(['shop.orders', 'shop.orders:metadata']);
    expect(sensor.schema('shop.orders:metadata')!.fields).toEqual([
      { name: 'user_agent', types: ['string'], nullable: false, optional: false },
      { name: 'ip', types: ['string'], nullable: true, optional: false },
      { name: 'tags', types: ['array'], nullable: false, optional: false, array_element_types: ['string'] },
      { name: 'geo', types: ['object'], nullable: false, optional: true, nested_field_count: 2 },
      { name: 'geo.lat', types: ['number'], nullable: false, optional: false },
      // max_depth 2: geo.deep is seen as an object but not looked into.
      { name: 'geo.deep', types: ['object'], nullable: false, optional: false, nested_field_count: 0 },
    ]);
    const shallow = new SchemaSensor(spec({ ...EVERY, deep_inspect: { enabled: false } }));
    for (const r of rows) shallow.observe(rowEvent(r));
    expect(shallow.schemas().map((s) => s.table)).toEqual(['shop.orders']);
    expect(shallow.schema('shop.orders')!.fields[1]).toEqual({ name: 'metadata', types: ['object'], nullable: false, optional: false, nested_field_count: 0 });
  });

  it('exports draft-07 JSON Schema: types with null, properties, items, required for fields never absent', () => {
    const sensor = new SchemaSensor(spec(EVERY));
    for (const r of [{ id: 1, metadata: null, tags: ['a'] }, { id: 2, metadata: { a: 1 } }]) sensor.observe(rowEvent(r));
    expect(sensor.jsonSchema('shop.orders')).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'shop.orders',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        metadata: { type: ['object', 'null'], properties: { a: { type: 'integer' } }, required: ['a'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['id', 'metadata'],
    });
    expect(sensor.jsonSchema('shop.orders:metadata')).toMatchObject({ title: 'shop.orders.metadata', type: ['object', 'null'] });
  });

  it('versions the schema: the sequence grows when the structure changes, and stabilizes after the warmup', () => {
    const t = new TableSensor('shop.orders', settings({ sampling: { warmup_events: 10, sample_rate: 2, structure_cache: true }, high_cardinality: { enabled: false } }));
    const seq = () => t.version!.sequence;
    t.observe(rowEvent({ id: 1 }), { id: 1 }, 0);
    expect(seq()).toBe(1);
    t.observe(rowEvent({ id: 2, added: 'x' }), { id: 2, added: 'x' }, 1);
    expect(seq()).toBe(2);
    const fingerprint = t.version!.fingerprint;
    for (let i = 3; i <= 30; i++) t.observe(rowEvent({ id: i, added: 'y' }), { id: i, added: 'y' }, i);
    expect(seq()).toBe(2);
    expect(t.version!.fingerprint).toBe(fingerprint);
    expect(t.stabilized).toBe(true);
    // 10 warmup events, then one in two of the other 20.
    expect(t.analysed).toBe(20);
    expect(t.eventCount).toBe(30);
  });

  it('skips the analysis of cached structures and counts hits and misses; the cache holds at most its size', () => {
    const t = sensorOf(
      [{ id: 1, a: 1 }, { id: 2, a: 2 }, { id: 3, b: 'x' }, { id: 4, c: null }, { id: 5, a: 3 }],
      { sampling: { warmup_events: 100, sample_rate: 1, structure_cache: true, structure_cache_size: 2 }, high_cardinality: { enabled: false } },
    );
    // {id,a} miss, {id,a} hit, {id,b} miss, {id,c} miss (evicts {id,a}), {id,a} miss.
    expect([t.cache!.hits, t.cache!.misses, t.cache!.size]).toEqual([1, 4, 2]);
  });
});

describe('schema sensing: high-cardinality keys', () => {
  const HC = { sampling: { warmup_events: 1000, sample_rate: 1, structure_cache: true, structure_cache_size: 10 }, high_cardinality: { min_events: 20, stable_threshold: 0.5, min_dynamic_fields: 5 } };
  const session = (i: number) => ({ id: i, kind: 'x', sessions: { [`sess_${i}`]: { user_id: i, started_at: 1_700_000_000 + i } } });

  it('folds dynamic map keys into <dynamic>: the fingerprint stops changing and the cache hits', () => {
    const sensor = new SchemaSensor(spec(HC));
    for (let i = 1; i <= 20; i++) sensor.observe(rowEvent(session(i)));
    const folded = sensor.schema('shop.orders:sessions')!;
    expect(folded.fields.map((f) => f.name)).toEqual(['<dynamic>', '<dynamic>.user_id', '<dynamic>.started_at']);
    const sequence = folded.sequence;
    const before = sensor.stats().total_cache_hits;
    for (let i = 21; i <= 60; i++) sensor.observe(rowEvent(session(i)));
    expect(sensor.schema('shop.orders:sessions')!.sequence).toBe(sequence);
    expect(sensor.stats().total_cache_hits - before).toBe(39);
    expect(sensor.classifications('shop.orders')!.paths).toEqual({
      '': { stable_fields: ['id', 'kind', 'sessions'], has_dynamic_fields: false },
      sessions: { stable_fields: [], has_dynamic_fields: true, unique_keys: 20 },
    });
    expect(sensor.jsonSchema('shop.orders:sessions')).toMatchObject({ additionalProperties: { type: 'object', properties: { user_id: { type: 'integer' } } } });
  });

  it('without classification every new key is an evolution', () => {
    const sensor = new SchemaSensor(spec({ ...HC, high_cardinality: { enabled: false } }));
    for (let i = 1; i <= 30; i++) sensor.observe(rowEvent(session(i)));
    expect(sensor.schema('shop.orders')!.sequence).toBe(30);
    expect(sensor.stats().total_cache_hits).toBe(0);
  });
});
