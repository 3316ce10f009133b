import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, registryUrl } from '../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend } from '../../../engine/src/checkpoints/index.js';
import { batchSpec, commitPolicySpec, sinkSpec } from '../../../engine/src/config/index.js';
import { Coordinator } from '../../../engine/src/coordinator/index.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import type { AvroDecoder, EncodingMetrics, RegistryClient } from '../../../engine/src/index.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { NOOP_SINK_METRICS } from '../../../engine/src/metrics/hooks.js';
import { createSink } from '../../../engine/src/sinks/registry.js';
import { PostgresSource } from '../../../engine/src/sources/postgres/index.js';
import { readTopic } from '../sinks/kafka/kafka-read.js';
import { cleanup, runPipeline, sourceConfig, startPostgres, uniqueName, waitFor, type PgFixture } from '../sources/postgres/harness.js';
import { CASES, TYPES_SETUP } from '../sources/postgres/types-fixture.js';
import { avroSpec, consumer, serializerFor, subjectVersions, throughAvro } from './avro-support.js';

let pg: PgFixture;
let decoder: AvroDecoder;
let client: RegistryClient;

beforeAll(async () => {
  pg = await startPostgres(['postgres', 'kafka', 'schema-registry']);
  await pg.sql(TYPES_SETUP);
  ({ decoder, client } = await consumer(pg.topology));
}, 180_000);

afterAll(async () => {
  await client?.close();
  await pg?.stop();
});

/** Multi-dimensional arrays have no Avro form (Postgres types do not record dimensions): see below. */
const MATRIX = 'c_int_matrix';
const ROUND_TRIP = CASES.filter(([c]) => c !== MATRIX);

/** Streams what `write` does to `tables` and returns the source's events (MemorySink). */
async function capture(tables: string[], write: () => Promise<unknown>, count: number, snapshot = false): Promise<ChangeEvent[]> {
  const config = sourceConfig(pg, { tables, ...(snapshot ? { snapshot: { mode: 'initial' } } : {}) });
  const run = await runPipeline(config);
  try {
    await write();
    return await run.until((e) => e.length >= count);
  } finally {
    await run.stop();
    await cleanup(pg, config);
  }
}

/** The type of the first field named `name` anywhere in an Avro schema. */
function fieldType(schema: unknown, name: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => fieldType(s, name)).find((t) => t !== undefined);
  if (schema === null || typeof schema !== 'object') return undefined;
  const o = schema as { name?: unknown; type?: unknown; fields?: unknown };
  if (o.name === name && o.type !== undefined && !('fields' in o)) return o.type;
  return fieldType(o.fields, name) ?? fieldType(o.type, name);
}

describe('avro with the real schema registry (Postgres source)', () => {
  it('round-trips every column type the source converts, snapshot and stream: decoded with the registry schema, the row equals the source row', async () => {
    const table = uniqueName('avro_types');
    const columns = ROUND_TRIP.map(([c, t]) => `${c} ${t}`).join(', ');
    await pg.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, ${columns})`);
    const insert = (id: number) => pg.sql(`INSERT INTO ${table} (id, ${ROUND_TRIP.map(([c]) => c).join(', ')}) VALUES (${id}, ${ROUND_TRIP.map(([, , v]) => v).join(', ')})`);
    await insert(1);
    const events = await capture([table], () => insert(2), 2, true);
    expect(events.map((e) => e.op)).toEqual(['r', 'c']);
    expect(events[0]!.schema?.columns.map((c) => c.name)).toEqual(['id', ...ROUND_TRIP.map(([c]) => c)]);
    const decoded = await throughAvro(serializerFor(pg.topology), decoder, events, `pg-types-${table}`);
    const expected = Object.fromEntries(ROUND_TRIP.map(([c, , , v]) => [c, v]));
    expect(decoded[0]!.value.after).toEqual({ id: 1, ...expected });
    expect(decoded[1]!.value.after).toEqual({ id: 2, ...expected });
    // Snapshot and stream describe the table alike: one schema version.
    expect(decoded[0]!.schemaId).toBe(decoded[1]!.schemaId);
    expect(await subjectVersions(pg.topology, `pg-types-${table}-value`)).toEqual([1]);
    // The writer schema uses the logical types docs/avro.md lists.
    const writer = decoder.schema(decoded[0]!.schemaId);
    const typeOf = (c: string) => JSON.stringify(fieldType(writer, c));
    expect(typeOf('c_numeric_scale')).toContain('"logicalType":"decimal","precision":10,"scale":2');
    expect(typeOf('c_tstz')).toContain('"logicalType":"timestamp-micros"');
    expect(typeOf('c_date')).toContain('"logicalType":"date"');
    expect(typeOf('c_uuid')).toContain('"logicalType":"uuid"');
    expect(typeOf('c_time')).toContain('"logicalType":"time-micros"');
  });

  it('refuses a multi-dimensional array value as a poison event naming the column', async () => {
    const table = uniqueName('avro_matrix');
    await pg.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, ${MATRIX} integer[][])`);
    const events = await capture([table], () => pg.sql(`INSERT INTO ${table} VALUES (1, '{{1,2},{3,4}}'), (2, '{5,6}')`), 2);
    const serializer = serializerFor(pg.topology);
    await serializer.prepare(events, () => `pg-matrix-${table}`);
    expect(() => serializer.serialize(events[0]!, `pg-matrix-${table}`)).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_SINK_SERIALIZATION', kind: 'poison', message: expect.stringContaining(MATRIX) }));
    // A one-dimensional value of the same column encodes.
    const flat = serializer.serialize(events[1]!, `pg-matrix-${table}`);
    await decoder.prepare([flat]);
    expect(decoder.decode(flat)).toMatchObject({ exact: true, value: { after: { id: 2, [MATRIX]: [5, 6] } } });
  });

  it('registers one schema from several sinks at once: the same id for all, no conflict', async () => {
    const table = uniqueName('avro_race');
    await pg.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    const events = await capture([table], () => pg.sql(`INSERT INTO ${table} VALUES (1, 'x')`), 1);
    // Four sinks of one engine (Kafka and NATS name subjects alike), then two more serializers racing again.
    const sinks = Array.from({ length: 4 }, () => serializerFor(pg.topology));
    await Promise.all(sinks.map((s) => s.prepare(events, () => `pg-race-${table}`, { keys: true })));
    const payloads = sinks.map((s) => s.serialize(events[0]!, `pg-race-${table}`));
    await decoder.prepare(payloads);
    expect(new Set(payloads.map((p) => decoder.decode(p).schemaId)).size).toBe(1);
    expect(await subjectVersions(pg.topology, `pg-race-${table}-value`)).toEqual([1]);
  });

  it('registers a new version after ADD and DROP COLUMN, before the first event that needs it', async () => {
    const table = uniqueName('avro_evolve');
    await pg.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, n int, note text)`);
    await pg.sql(`INSERT INTO ${table} VALUES (1, 0, 'x')`);
    const events = await capture(
      [table],
      async () => {
        await pg.sql(`UPDATE ${table} SET n = 1 WHERE id = 1`);
        await pg.sql(`ALTER TABLE ${table} ADD COLUMN added numeric(6,2)`);
        await pg.sql(`UPDATE ${table} SET n = 2, added = 3.5 WHERE id = 1`);
        await pg.sql(`ALTER TABLE ${table} DROP COLUMN note`);
        await pg.sql(`UPDATE ${table} SET n = 3 WHERE id = 1`);
      },
      3,
    );
    const topic = `pg-evolve-${table}`;
    const decoded = await throughAvro(serializerFor(pg.topology), decoder, events, topic);
    const after = decoded.map((d) => d.value.after as Record<string, unknown>);
    expect(after).toEqual([
      { id: 1, n: 1, note: 'x' },
      { id: 1, n: 2, note: 'x', added: '3.50' },
      { id: 1, n: 3, added: '3.50' },
    ]);
    expect(new Set(decoded.map((d) => d.schemaId)).size).toBe(3);
    expect(await subjectVersions(pg.topology, `${topic}-value`)).toEqual([1, 2, 3]);
  });

  it('Kafka pipeline, registry down: cached schemas flow, a batch needing a new schema waits (retried, nothing sent) and flows after heal, nothing lost', async () => {
    const table = uniqueName('avro_outage');
    const topic = `pg-outage-${table}`;
    await pg.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, v int)`);
    const waits = { count: 0 };
    const metrics: EncodingMetrics = { encoded() {}, registered() {}, cacheFallback() {}, failed: (reason) => void (reason === 'sr_unavailable' && waits.count++) };
    const sink = createSink(
      sinkSpec.parse({
        type: 'kafka',
        config: { id: 'k', brokers: address(pg.topology.get('kafka').info(), 'proxy'), topic, encoding: { ...avroSpec(registryUrl(pg.topology.get('schema-registry').info())), type: 'avro' } },
      }),
      { pipeline: 'pg-avro-outage', tenant: 't', logger: silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled: false, encodingMetrics: metrics },
    );
    const config = sourceConfig(pg, { tables: [table] });
    const coordinator = new Coordinator({
      pipeline: 'pg-avro-outage',
      tenant: 't',
      source: new PostgresSource(config),
      sinks: [sink],
      batch: batchSpec.parse({ max_events: 50, max_ms: 50 }),
      commitPolicy: commitPolicySpec.parse({}),
      store: new MemoryCheckpointBackend().forPipeline('pg-avro-outage'),
      logger: silentLogger(),
      backoff: { baseMs: 100, capMs: 500 },
    });
    const direct = address(pg.topology.get('kafka').info(), 'direct');
    const read = async () => {
      const records = await readTopic(direct, topic);
      await decoder.prepare(records.map((r) => r.value!));
      return records.map((r) => decoder.decode(r.value!)).map((d) => ({ id: d.schemaId, exact: d.exact, after: (d.value as { after: Record<string, unknown> }).after }));
    };
    const held = (n: number) => waitFor(async () => ((await read()).length >= n ? read() : undefined), 30_000, () => `${n} records in ${topic}`);
    await coordinator.start();
    try {
      await pg.sql(`INSERT INTO ${table} VALUES (1, 1)`);
      const [first] = await held(1);
      await pg.topology.toxiproxy.down('schema-registry');
      try {
        // Known schema: flows while the registry is unreachable.
        await pg.sql(`UPDATE ${table} SET v = 2 WHERE id = 1`);
        const cached = await held(2);
        expect(cached[1]).toEqual({ id: first!.id, exact: true, after: { id: 1, v: 2 } });
        // New schema: the batch waits, retried with backoff; the next change queues behind it.
        await pg.sql(`ALTER TABLE ${table} ADD COLUMN w text`);
        await pg.sql(`UPDATE ${table} SET v = 3, w = 'new' WHERE id = 1`);
        await pg.sql(`INSERT INTO ${table} VALUES (2, 4, 'after')`);
        await waitFor(() => (waits.count >= 3 ? true : undefined), 30_000, () => `${waits.count} registry waits`);
        expect(await read()).toHaveLength(2);
        expect(coordinator.state).toBe('running');
      } finally {
        await pg.topology.toxiproxy.up('schema-registry');
      }
      const all = await held(4);
      expect(all.map((r) => r.after)).toEqual([
        { id: 1, v: 1 },
        { id: 1, v: 2 },
        { id: 1, v: 3, w: 'new' },
        { id: 2, v: 4, w: 'after' },
      ]);
      expect(all.every((r) => r.exact)).toBe(true);
      expect(all[2]!.id).not.toBe(first!.id);
      expect(all[3]!.id).toBe(all[2]!.id);
      expect(await subjectVersions(pg.topology, `${topic}-value`)).toEqual([1, 2]);
    } finally {
      await coordinator.stop();
      await cleanup(pg, config);
    }
  });
});
