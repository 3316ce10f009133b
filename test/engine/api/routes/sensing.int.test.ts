import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgOptions, type ServiceInfo } from '../../../../chaos/src/infra/index.js';
import { sharedTopology } from '../../../support/infra.js';
import { apiClient, EngineProcess, metricSamples } from '../engine-process.js';

/**
 * Schema sensing and drift through the API of a `tidemark run` process: Postgres (jsonb
 * columns, through its Toxiproxy proxy) → HTTP sink → a receiver here, with
 * `schema_sensing` enabled; the sensing, drift and metrics endpoints are read while it streams.
 */
const ID = process.pid;
const TABLE = `sensed_${ID}`;
/** The Postgres source names tables `<database>.<table>` (set once the topology is known). */
let QUALIFIED = '';
const root = mkdtempSync(join(tmpdir(), 'tidemark-api-sensing-'));

let postgres: ServiceInfo;
let admin: pg.Client;
let engine: EngineProcess;
let api: ReturnType<typeof apiClient>;
let server: Server;
let received = 0;
let receiverUrl = '';
const rows: Array<Record<string, unknown>> = [];

function pipeline(name: string, sensing: boolean) {
  const o = pgOptions(postgres, 'proxy');
  return {
    metadata: { name, tenant: 'acme' },
    spec: {
      source: { type: 'postgres', config: { id: 'pg', dsn: `postgres://${o.user}:${o.password}@${o.host}:${o.port}/${o.database}`, tables: [`public.${TABLE}`], slot: `slot_${name.replace(/-/g, '_')}_${ID}`, publication: `pub_${name.replace(/-/g, '_')}_${ID}` } },
      sinks: [{ type: 'http', config: { id: 'receiver', url: receiverUrl } }],
      batch: { max_events: 20, max_ms: 50 },
      schema_sensing: sensing
        ? { enabled: true, deep_inspect: { max_depth: 3 }, sampling: { warmup_events: 20, sample_rate: 2, structure_cache_size: 20 }, high_cardinality: { min_events: 10, min_dynamic_fields: 5 } }
        : { enabled: false },
    },
  };
}

/** Inserts rows id from..to; `extra` adds metadata fields (a JSON structure change). */
async function insert(from: number, to: number, extra: Record<string, unknown> = {}): Promise<void> {
  for (let id = from; id <= to; id++) {
    const row = { id, name: `p${id}`, price: (id * 1.5).toFixed(2), metadata: { brand: 'acme', tags: ['a', `t${id % 3}`], ratings: { average: 4.5, count: id }, ...extra }, sessions: { [`sess_${id}`]: { user_id: id } } };
    rows.push(row);
    await admin.query(`INSERT INTO ${TABLE} (id, name, price, metadata, sessions) VALUES ($1, $2, $3, $4, $5)`, [id, row.name, row.price, JSON.stringify(row.metadata), JSON.stringify(row.sessions)]);
  }
}

beforeAll(async () => {
  postgres = (await sharedTopology(['postgres'])).services.find((s) => s.name === 'postgres')!;
  QUALIFIED = `${pgOptions(postgres, 'direct').database}.${TABLE}`;
  admin = new pg.Client(pgOptions(postgres, 'direct'));
  await admin.connect();
  await admin.query(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), metadata jsonb, sessions jsonb)`);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  engine = new EngineProcess(join(root, 'data'));
  await engine.start();
  api = apiClient(engine);
}, 180_000);

afterAll(async () => {
  for (const name of ['sensing', 'not-sensing']) await api?.('DELETE', `/pipelines/${name}`).catch(() => undefined);
  await engine?.kill();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  for (const name of ['sensing', 'not_sensing']) {
    await admin?.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, [`slot_${name}_${ID}`]).catch(() => undefined);
    await admin?.query(`DROP PUBLICATION IF EXISTS pub_${name}_${ID}`).catch(() => undefined);
  }
  await admin?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => undefined);
  await admin?.end();
  rmSync(root, { recursive: true, force: true });
});

describe('schema sensing through the API (Postgres → HTTP)', () => {
  it('infers the table and its JSON columns, exports JSON Schema, classifies dynamic keys and counts the cache', async () => {
    expect((await api('POST', '/pipelines', pipeline('sensing', true))).status).toBe(201);
    await expect.poll(async () => (await api('GET', '/pipelines/sensing')).json.status, { timeout: 30_000 }).toBe('running');
    await insert(1, 60);
    await expect.poll(() => received, { timeout: 30_000 }).toBeGreaterThanOrEqual(60);

    const list = (await api('GET', '/pipelines/sensing/sensing/schemas')).json as Array<Record<string, unknown>>;
    expect(list.map((s) => s.table)).toEqual([QUALIFIED, `${QUALIFIED}:metadata`, `${QUALIFIED}:sessions`]);
    expect(list[0]).toMatchObject({ event_count: 60, stabilized: true, fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), sequence: expect.any(Number) });
    expect(Date.parse(list[0]!.first_seen as string)).toBeLessThanOrEqual(Date.parse(list[0]!.last_seen as string));

    const table = (await api('GET', `/pipelines/sensing/sensing/schemas/${QUALIFIED}`)).json;
    expect(table.fields).toEqual([
      { name: 'id', types: ['integer'], nullable: false, optional: false },
      { name: 'name', types: ['string'], nullable: false, optional: false },
      { name: 'price', types: ['string'], nullable: false, optional: false },
      { name: 'metadata', types: ['object'], nullable: false, optional: false, nested_field_count: 3 },
      { name: 'sessions', types: ['object'], nullable: false, optional: false, nested_field_count: 1 },
    ]);
    const metadata = (await api('GET', `/pipelines/sensing/sensing/schemas/${QUALIFIED}:metadata`)).json;
    // jsonb keeps keys in its own order (shorter first), not as written: compare as a set.
    expect(metadata.fields.map((f: { name: string }) => f.name).sort()).toEqual(['brand', 'ratings', 'ratings.average', 'ratings.count', 'tags']);
    // The unqualified table name works too.
    expect((await api('GET', `/pipelines/sensing/sensing/schemas/${TABLE}`)).json.table).toBe(QUALIFIED);

    const jsonSchema = (await api('GET', `/pipelines/sensing/sensing/schemas/${QUALIFIED}/json-schema`)).json;
    expect(jsonSchema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: QUALIFIED, type: 'object', required: ['id', 'name', 'price', 'metadata', 'sessions'] });
    const validate = new Ajv({ strict: false }).compile(jsonSchema);
    for (const row of rows) expect(validate(row), JSON.stringify(validate.errors)).toBe(true);

    const classified = (await api('GET', `/pipelines/sensing/sensing/schemas/${QUALIFIED}/classifications`)).json;
    expect(classified.paths.sessions).toMatchObject({ has_dynamic_fields: true, stable_fields: [] });
    expect(classified.paths['']).toEqual({ stable_fields: ['id', 'metadata', 'name', 'price', 'sessions'], has_dynamic_fields: false });
    expect((await api('GET', `/pipelines/sensing/sensing/schemas/${QUALIFIED}:sessions`)).json.fields[0]).toMatchObject({ name: '<dynamic>', types: ['object'] });

    const stats = (await api('GET', '/pipelines/sensing/sensing/stats')).json;
    expect(stats.tables).toEqual([expect.objectContaining({ table: QUALIFIED, max_cache_size: 20 })]);
    expect(stats.total_cache_hits).toBeGreaterThan(0);
    // 20 warmup events, then one in two of the other 40.
    expect(stats.total_cache_hits + stats.total_cache_misses).toBe(40);
    expect(stats.hit_rate).toBeCloseTo(stats.total_cache_hits / 40, 3);
  }, 90_000);

  it('reports no drift for what the source declares, then a JSON structure change once the schema was stable', async () => {
    const clean = (await api('GET', `/pipelines/sensing/drift/${QUALIFIED}`)).json;
    expect(clean).toEqual({ table: QUALIFIED, has_drift: false, columns: [], events_analyzed: 40, events_with_drift: 0 });
    const before = received;
    await insert(61, 64, { promotion: { pct: 20 } });
    await expect.poll(() => received - before, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    const drift = (await api('GET', '/pipelines/sensing/drift')).json;
    expect(drift).toEqual([
      {
        table: QUALIFIED,
        has_drift: true,
        columns: [{ column: 'metadata', expected_type: 'jsonb', observed_types: ['object'], mismatch_count: 1, examples: ['+promotion, +promotion.pct'], drift_types: ['json_structure_change'] }],
        events_analyzed: 42,
        events_with_drift: 1,
      },
    ]);
    expect((await api('GET', `/pipelines/sensing/sensing/schemas/${QUALIFIED}:metadata`)).json.sequence).toBeGreaterThan(1);
  }, 60_000);

  it('exports the sensing metrics', async () => {
    const s = metricSamples(await (await fetch(engine.metricsUrl)).text());
    const l = `pipeline="sensing",table="${QUALIFIED}"`;
    expect(s.get(`tidemark_schema_events_total{${l}}`)).toBe(64);
    expect(s.get(`tidemark_schema_cache_hits_total{${l}}`)! + s.get(`tidemark_schema_cache_misses_total{${l}}`)!).toBe(42);
    expect(s.get(`tidemark_schema_evolutions_total{${l}}`)).toBeGreaterThan(0);
    expect(s.get(`tidemark_schema_sensing_seconds_count{${l}}`)).toBe(42);
    expect(s.get('tidemark_schema_tables_total{pipeline="sensing"}')).toBe(1);
    expect(s.get('tidemark_schema_dynamic_maps_total{pipeline="sensing"}')).toBe(1);
    expect(s.get(`tidemark_schema_drift_total{${l},drift_type="json_structure_change"}`)).toBe(1);
  });

  it('answers empty lists without sensing, and 404 naming the cause for a table', async () => {
    expect((await api('POST', '/pipelines', pipeline('not-sensing', false))).status).toBe(201);
    expect((await api('GET', '/pipelines/not-sensing/sensing/schemas')).json).toEqual([]);
    expect((await api('GET', '/pipelines/not-sensing/drift')).json).toEqual([]);
    const off = await api('GET', `/pipelines/not-sensing/sensing/schemas/${QUALIFIED}`);
    expect(off.status).toBe(404);
    expect(off.json).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('schema_sensing.enabled: true') });
    const unknown = await api('GET', '/pipelines/sensing/drift/nope.nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain('GET /pipelines/sensing/sensing/schemas lists');
    expect((await api('GET', '/pipelines/missing/drift')).json.code).toBe('PIPELINE_NOT_FOUND');
  });
});
