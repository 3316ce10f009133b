import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvroDecoder, createAvroSerializer, eventSchema, type ChangeEvent, type ColumnType, type EventSchema, type RegistryClient } from '../../../engine/src/index.js';
import { avroEncodingSpec } from '../../../engine/src/config/sinks.js';
import { readFrame } from '../../../engine/src/avro/wire-format.js';

/** An in-process stand-in for the registry's id bookkeeping: pure logic, for the codec round trip only. */
function memoryRegistry(): RegistryClient & { schemas: Map<number, string>; subjects: Map<string, number[]> } {
  const schemas = new Map<number, string>();
  const subjects = new Map<string, number[]>();
  return {
    schemas,
    subjects,
    async register(subject, schema) {
      let id = [...schemas].find(([, s]) => s === schema)?.[0];
      if (id === undefined) schemas.set((id = schemas.size + 1), schema);
      subjects.set(subject, [...(subjects.get(subject) ?? []), id]);
      return id;
    },
    async schemaById(id) {
      return schemas.get(id)!;
    },
    async close() {},
  };
}

const spec = avroEncodingSpec.parse({ type: 'avro', schema_registry_url: 'http://unused' });

function event(schema: EventSchema, after: Record<string, unknown>, op: ChangeEvent['op'] = 'c'): ChangeEvent {
  return {
    id: 'e1',
    source: { connector: 'mysql', name: 'src', db: schema.db, table: schema.table, position: { file: 'b.000001', pos: 4, server_id: 1, gtid: null } },
    op,
    before: op === 'c' ? null : after,
    after: op === 'd' ? null : after,
    tx: { id: 't', index: 0, end: true },
    ts: 1700000000000,
    schemaVersion: 1,
    size: 10,
    primaryKey: schema.primaryKey,
    schema,
  };
}

async function roundTrip(schema: EventSchema, row: Record<string, unknown>): Promise<unknown> {
  const registry = memoryRegistry();
  const serializer = createAvroSerializer(spec, { type: 'native' }, { who: 'test' }, { client: registry });
  const e = event(schema, row);
  await serializer.prepare(e ? [e] : [], () => 'topic', { keys: true });
  const bytes = serializer.serialize(e, 'topic');
  const decoder = new AvroDecoder((id) => registry.schemaById(id));
  await decoder.prepare([bytes]);
  const decoded = decoder.decode(bytes);
  expect(decoded.exact).toBe(true);
  return (decoded.value as { after: unknown }).after;
}

const col = (name: string, type: ColumnType, nullable = true) => ({ name, sourceType: type.kind, type, nullable });

describe('avro round trip (JSON-ready row → Avro → JSON-ready row)', () => {
  it('restores every column type exactly', async () => {
    const schema = eventSchema('shop', 'all_types', [
      col('id', { kind: 'int64' }, false),
      col('flag', { kind: 'boolean' }),
      col('small', { kind: 'int32' }),
      col('big', { kind: 'int64' }),
      col('huge', { kind: 'int64' }),
      col('ubig', { kind: 'uint64' }),
      col('ubig_small', { kind: 'uint64' }),
      col('f32', { kind: 'float32' }),
      col('f64', { kind: 'float64' }),
      col('nan', { kind: 'float64' }),
      col('dec', { kind: 'decimal', precision: 18, scale: 4 }),
      col('neg_dec', { kind: 'decimal', precision: 12, scale: 2 }),
      col('num', { kind: 'decimal-unbounded' }),
      col('text', { kind: 'string' }),
      col('id2', { kind: 'uuid' }),
      col('blob', { kind: 'bytes' }),
      col('doc', { kind: 'json' }),
      col('scalar_doc', { kind: 'json' }),
      col('other', { kind: 'other' }),
      col('color', { kind: 'enum', symbols: ['red', 'green'] }),
      col('day', { kind: 'date' }),
      col('bc_day', { kind: 'date' }),
      col('inf_day', { kind: 'date' }),
      col('at', { kind: 'time' }),
      col('ts3', { kind: 'timestamp', fraction: 3 }),
      col('ts6', { kind: 'timestamp', fraction: 6 }),
      col('tspg', { kind: 'timestamp' }),
      col('local', { kind: 'local-timestamp', fraction: 0 }),
      col('arr', { kind: 'array', items: { kind: 'int32' } }),
      col('nothing', { kind: 'string' }),
    ], ['id']);
    const row = {
      id: 7,
      flag: true,
      small: -12,
      big: 9007199254740991,
      huge: '-9223372036854775808',
      ubig: '18446744073709551615',
      ubig_small: 42,
      f32: 0.1,
      f64: 1.5e300,
      nan: 'NaN',
      dec: '12345678901234.5678',
      neg_dec: '-0.50',
      num: '3.14159265358979323846264338327950288',
      text: 'héllo ✓',
      id2: '6f1e0a52-4d6b-4c3e-9a4e-0d3f2f8b1c11',
      blob: Buffer.from([0, 255, 7]).toString('base64'),
      doc: { a: [1, { b: null }], c: 'x' },
      scalar_doc: 'just text',
      other: [1, 2],
      color: 'green',
      day: '2024-02-29',
      bc_day: '-0043-03-15',
      inf_day: 'infinity',
      at: '23:59:59.123456',
      ts3: '2024-01-02T03:04:05.120Z',
      ts6: '2024-01-02T03:04:05.000001Z',
      tspg: '1999-12-31T23:59:59.5Z',
      local: '2024-01-02T03:04:05',
      arr: [1, null, 3],
      nothing: null,
    };
    expect(await roundTrip(schema, row)).toEqual(row);
  });

  it('property: integers, decimals and instants survive for any value in range', async () => {
    const schema = eventSchema('db', 't', [col('id', { kind: 'int64' }, false), col('d', { kind: 'decimal', precision: 20, scale: 3 }), col('ts', { kind: 'timestamp' })], ['id']);
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(10n ** 17n - 1n), max: 10n ** 17n - 1n }), fc.integer({ min: -62135596800000, max: 253402300799999 }), fc.integer({ min: 0, max: 999 }), async (id, unscaled, ms, micros) => {
        const idValue = id >= -(2n ** 53n) + 1n && id <= 2n ** 53n - 1n ? Number(id) : id.toString();
        const abs = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(4, '0');
        const d = `${unscaled < 0n ? '-' : ''}${abs.slice(0, -3)}.${abs.slice(-3)}`;
        const iso = new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => `.${(f + String(micros).padStart(3, '0')).replace(/0+$/, '')}Z`).replace('.Z', 'Z');
        const row = { id: idValue, d, ts: iso };
        expect(await roundTrip(schema, row)).toEqual(row);
      }),
      { numRuns: 200 },
    );
  });

  it('frames with magic byte 0 and the registry id', async () => {
    const registry = memoryRegistry();
    const serializer = createAvroSerializer(spec, { type: 'debezium' }, { who: 'test' }, { client: registry });
    const schema = eventSchema('db', 't', [col('id', { kind: 'int32' }, false)], ['id']);
    const e = event(schema, { id: 1 });
    await serializer.prepare([e], () => 'orders', { keys: true });
    expect([...registry.subjects.keys()].sort()).toEqual(['orders-key', 'orders-value']);
    const framed = readFrame(serializer.serialize(e, 'orders'));
    expect(framed.schemaId).toBe(registry.subjects.get('orders-value')![0]);
    expect(readFrame(serializer.serializeKey(e, 'orders', '{"id":1}')!).schemaId).toBe(registry.subjects.get('orders-key')![0]);
  });

  it('turns a value that does not fit its column into a poison error naming the column', async () => {
    const registry = memoryRegistry();
    const serializer = createAvroSerializer(spec, { type: 'native' }, { who: 'kafka sink k' }, { client: registry });
    const schema = eventSchema('db', 't', [col('id', { kind: 'int32' }, false), col('d', { kind: 'decimal', precision: 5, scale: 2 })], ['id']);
    const e = event(schema, { id: 1, d: '1.234' });
    await serializer.prepare([e], () => 'x');
    expect(() => serializer.serialize(e, 'x')).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_SINK_SERIALIZATION', message: expect.stringMatching(/column d .*at most 2 fraction digits/) }));
    const extra = event(schema, { id: 1, d: '1.23', surprise: 5 });
    expect(() => serializer.serialize(extra, 'x')).toThrow(/surprise/);
  });
});
