/**
 * Processors in a real `tidemark run` process, pipelines created over the REST API, with real
 * MariaDB / Postgres sources and a real Kafka broker (shared topology; isolation by names):
 * a redaction script after a filter, the transactional outbox routed to one topic per aggregate
 * type (MySQL outbox table, Postgres logical messages), and runaway scripts stopped by their
 * limits while the engine keeps answering /health.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, mysqlOptions, pgOptions, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { apiClient, EngineProcess, metricSamples } from '../api/engine-process.js';
import { json, readTopic, type TopicRecord } from '../sinks/kafka/kafka-read.js';
import { sharedTopology } from '../../support/infra.js';

const NS = `proc_${process.pid}`;
const root = mkdtempSync(join(tmpdir(), 'tidemark-processors-'));

let mariadb: ServiceInfo;
let postgres: ServiceInfo;
let kafka: ServiceInfo;
let my: mysql.Connection;
let pgc: pg.Client;
let engine: EngineProcess;
let api: ReturnType<typeof apiClient>;

interface Family {
  readonly name: 'mysql' | 'postgres';
  /** Source config of a pipeline capturing `tables` (bare names) of this test's schema. */
  source(pipeline: string, tables: string[], outbox?: boolean): Record<string, unknown>;
  sql(statement: string): Promise<void>;
  /** Writes one business row and its outbox message in one transaction. */
  writeWithOutbox(id: number, message: { aggregate_type: string; aggregate_id: string; event_type: string; payload: unknown }): Promise<void>;
}

const families: Family[] = [
  {
    name: 'mysql',
    source: (pipeline, tables, outbox) => {
      const o = mysqlOptions(mariadb, 'proxy', 'cdc');
      return { type: 'mysql', config: { id: `${pipeline}-src`, dsn: `mysql://${o.user}:${o.password}@${o.host}:${o.port}/${NS}`, tables: tables.map((t) => `${NS}.${t}`), ...(outbox ? { outbox: { tables: [`${NS}.outbox`] } } : {}) } };
    },
    sql: async (statement) => void (await my.query(statement)),
    writeWithOutbox: async (id, m) => {
      await my.query('BEGIN');
      await my.query(`INSERT INTO ${NS}.orders (id, v) VALUES (?, ?)`, [id, id * 10]);
      await my.query(`INSERT INTO ${NS}.outbox (aggregate_type, aggregate_id, event_type, payload) VALUES (?, ?, ?, ?)`, [m.aggregate_type, m.aggregate_id, m.event_type, JSON.stringify(m.payload)]);
      await my.query('COMMIT');
    },
  },
  {
    name: 'postgres',
    source: (pipeline, tables, outbox) => {
      const o = pgOptions(postgres, 'proxy');
      const slot = `${NS}_${pipeline.replace(/-/g, '_')}`;
      return { type: 'postgres', config: { id: `${pipeline}-src`, dsn: `postgres://${o.user}:${o.password}@${o.host}:${o.port}/${o.database}`, slot, publication: slot, tables: tables.map((t) => `${NS}.${t}`), status_interval_secs: 1, ...(outbox ? { outbox: { prefixes: [`${NS}_outbox`] } } : {}) } };
    },
    sql: async (statement) => void (await pgc.query(statement)),
    writeWithOutbox: async (id, m) => {
      await pgc.query('BEGIN');
      await pgc.query(`INSERT INTO ${NS}.orders (id, v) VALUES ($1, $2)`, [id, id * 10]);
      await pgc.query('SELECT pg_logical_emit_message(true, $1, $2)', [`${NS}_outbox`, JSON.stringify(m)]);
      await pgc.query('COMMIT');
    },
  },
];

function kafkaSink(topic: string): Record<string, unknown> {
  return { type: 'kafka', config: { id: 'kafka', brokers: kafkaBrokers(kafka, 'proxy').join(','), topic } };
}

async function createPipeline(name: string, spec: Record<string, unknown>): Promise<void> {
  const created = await api('POST', '/pipelines', { metadata: { name, tenant: 'acme' }, spec: { batch: { max_events: 50, max_ms: 50 }, ...spec } });
  expect(created.status, created.text).toBe(201);
  await expect.poll(async () => (await api('GET', `/pipelines/${name}`)).json.status, { timeout: 60_000 }).toBe('running');
}

const topicOf = (family: Family, what: string) => `${NS}.${family.name}.${what}`;
const direct = () => kafkaBrokers(kafka, 'direct')[0]!;
const header = (r: TopicRecord, name: string) => r.headers?.[name]?.toString();

beforeAll(async () => {
  const topology = await sharedTopology(['mysql', 'postgres', 'kafka']);
  mariadb = topology.services.find((s) => s.name === 'mysql')!;
  postgres = topology.services.find((s) => s.name === 'postgres')!;
  kafka = topology.services.find((s) => s.name === 'kafka')!;
  my = await mysql.createConnection({ ...mysqlOptions(mariadb, 'direct', 'admin'), multipleStatements: true });
  await my.query(`DROP DATABASE IF EXISTS ${NS}; CREATE DATABASE ${NS}`);
  await my.query(`CREATE TABLE ${NS}.customers (id INT PRIMARY KEY, email VARCHAR(64), status VARCHAR(16)); CREATE TABLE ${NS}.orders (id INT PRIMARY KEY, v INT, note VARCHAR(32))`);
  await my.query(`CREATE TABLE ${NS}.outbox (id BIGINT AUTO_INCREMENT PRIMARY KEY, aggregate_type VARCHAR(64), aggregate_id VARCHAR(64), event_type VARCHAR(64), payload JSON)`);
  pgc = new pg.Client(pgOptions(postgres, 'direct'));
  await pgc.connect();
  await pgc.query(`DROP SCHEMA IF EXISTS ${NS} CASCADE; CREATE SCHEMA ${NS}`);
  await pgc.query(`CREATE TABLE ${NS}.customers (id INT PRIMARY KEY, email VARCHAR(64), status VARCHAR(16)); ALTER TABLE ${NS}.customers REPLICA IDENTITY FULL; CREATE TABLE ${NS}.orders (id INT PRIMARY KEY, v INT, note VARCHAR(32))`);
  engine = new EngineProcess(join(root, 'data'));
  await engine.start();
  api = apiClient(engine);
}, 240_000);

afterAll(async () => {
  const pipelines = (await api?.('GET', '/pipelines').catch(() => null))?.json as Array<{ name: string }> | undefined;
  for (const p of pipelines ?? []) await api('DELETE', `/pipelines/${p.name}`).catch(() => {});
  await engine?.kill();
  for (const slot of (await pgc?.query(`SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE '${NS}%' AND NOT active`).catch(() => null))?.rows ?? []) {
    await pgc.query('SELECT pg_drop_replication_slot($1)', [slot.slot_name]).catch(() => {});
  }
  await pgc?.query(`DROP SCHEMA IF EXISTS ${NS} CASCADE`).catch(() => {});
  await pgc?.end();
  await my?.query(`DROP DATABASE IF EXISTS ${NS}`).catch(() => {});
  await my?.end();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe.each(families)('$name → Kafka with processors', (family) => {
  it('a filter then a redaction script: test accounts never leave, every email is masked, order per key holds', async () => {
    const pipeline = `redact-${family.name}`;
    const topic = topicOf(family, 'customers');
    await createPipeline(pipeline, {
      source: family.source(pipeline, ['customers']),
      processors: [
        { type: 'filter', id: 'no-test-accounts', fields: [{ path: 'status', op: 'ne', value: 'test' }] },
        {
          type: 'javascript',
          id: 'redact',
          inline: `function processBatch(events) {
            for (const e of events) for (const image of [e.before, e.after]) if (image && image.email) image.email = image.email.replace(/^[^@]*/, '***');
            return events;
          }`,
        },
      ],
      sinks: [kafkaSink(topic)],
    });
    for (let id = 1; id <= 30; id++) await family.sql(`INSERT INTO ${NS}.customers (id, email, status) VALUES (${id}, 'user${id}@example.com', '${id % 5 === 0 ? 'test' : 'active'}')`);
    await family.sql(`UPDATE ${NS}.customers SET email = 'renamed3@example.com' WHERE id = 3`);
    await family.sql(`DELETE FROM ${NS}.customers WHERE id = 4`);

    // 24 active inserts, 1 update, 1 delete (the delete has no after: `ne` passes on absence).
    const records = await expect.poll(async () => readTopic(direct(), topic), { timeout: 60_000, interval: 1_000 }).toHaveLength(26).then(() => readTopic(direct(), topic));
    const values = records.map(json);
    const ids = values.map((v) => ((v.after ?? v.before) as { id: number }).id);
    expect(ids.filter((id) => id % 5 === 0)).toEqual([]);
    for (const v of values) for (const image of [v.before, v.after] as Array<{ email?: string } | null>) if (image) expect(image.email).toMatch(/^\*\*\*@example\.com$/);
    // Per key: the insert, then the update (id 3) or the delete (id 4).
    expect(values.filter((v) => ((v.after ?? v.before) as { id: number }).id === 3).map((v) => v.op)).toEqual(['c', 'u']);
    expect(values.filter((v) => ((v.after ?? v.before) as { id: number }).id === 4).map((v) => v.op)).toEqual(['c', 'd']);

    const metrics = metricSamples(await (await fetch(engine.metricsUrl)).text());
    expect(metrics.get(`tidemark_processor_dropped_total{pipeline="${pipeline}",processor="no-test-accounts"}`)).toBe(6);
    expect(metrics.get(`tidemark_processor_events_out_total{pipeline="${pipeline}",processor="redact"}`)).toBe(26);
    expect(metrics.get(`tidemark_processor_latency_seconds_count{pipeline="${pipeline}",processor="redact"}`)).toBeGreaterThan(0);
    // The checkpoint moved to the end: nothing left behind by the dropped rows.
    await expect.poll(async () => (await api('GET', `/pipelines/${pipeline}/checkpoints`)).json[0]?.position, { timeout: 20_000 }).not.toBeNull();
  }, 180_000);

  it('the outbox: one topic per aggregate type, keyed by aggregate id, payload as the value, outbox rows never as table changes', async () => {
    const pipeline = `outbox-${family.name}`;
    const changes = topicOf(family, 'changes');
    await createPipeline(pipeline, {
      source: family.source(pipeline, family.name === 'mysql' ? ['orders', 'outbox'] : ['orders'], true),
      processors: [{ type: 'outbox', topic: `${NS}.${family.name}.\${aggregate_type}`, raw_payload: true, additional_headers: { 'x-event': 'event_type' } }],
      sinks: [kafkaSink(changes)],
    });
    const messages = Array.from({ length: 12 }, (_, i) => ({ aggregate_type: i % 3 === 0 ? 'Customer' : 'Order', aggregate_id: `agg-${i % 4}`, event_type: i % 2 ? 'Updated' : 'Created', payload: { seq: i, nested: { ok: true } } }));
    for (const [i, m] of messages.entries()) await family.writeWithOutbox(1000 + i, m);

    const orders = topicOf(family, 'Order');
    const customers = topicOf(family, 'Customer');
    await expect.poll(async () => (await readTopic(direct(), orders)).length + (await readTopic(direct(), customers)).length, { timeout: 60_000, interval: 1_000 }).toBe(12);
    for (const [topic, type] of [[orders, 'Order'], [customers, 'Customer']] as const) {
      const records = await readTopic(direct(), topic);
      const expected = messages.filter((m) => m.aggregate_type === type);
      // Per aggregate id (one partition each), messages arrive in commit order.
      for (const id of new Set(expected.map((m) => m.aggregate_id))) {
        const got = records.filter((r) => r.key?.toString() === id);
        expect(got.map((r) => json(r))).toEqual(expected.filter((m) => m.aggregate_id === id).map((m) => m.payload));
        for (const r of got) {
          expect(header(r, 'df-aggregate-type')).toBe(type);
          expect(header(r, 'df-aggregate-id')).toBe(id);
          expect(header(r, 'x-event')).toMatch(/^(Created|Updated)$/);
          expect(header(r, 'tidemark-idempotency-key')).toMatch(/^acme\|/);
        }
      }
    }
    // The table changes went to the sink's own topic; no outbox row among them.
    const tableChanges = await expect.poll(async () => (await readTopic(direct(), changes)).length, { timeout: 30_000 }).toBe(12).then(() => readTopic(direct(), changes));
    expect(tableChanges.map((r) => (json(r).source as { table: string }).table)).toEqual(Array(12).fill('orders'));
    const metrics = metricSamples(await (await fetch(engine.metricsUrl)).text());
    expect(metrics.get(`tidemark_outbox_transformed_total{pipeline="${pipeline}",processor="outbox"}`)).toBe(12);
  }, 180_000);
});

describe('runaway scripts', () => {
  /** Polls /health every 50 ms while `during` runs; returns the slowest answer and how many there were. */
  async function watchHealth<T>(during: () => Promise<T>): Promise<{ result: T; slowestMs: number; answers: number }> {
    let stop = false;
    let slowestMs = 0;
    let answers = 0;
    const poller = (async () => {
      while (!stop) {
        const t = performance.now();
        const res = await fetch(`${engine.apiUrl}/health`);
        await res.text();
        slowestMs = Math.max(slowestMs, performance.now() - t);
        answers++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const result = await during();
    stop = true;
    await poller;
    return { result, slowestMs, answers };
  }

  it('an infinite loop is stopped at timeout_ms; without a journal the pipeline fails naming the processor and the limit', async () => {
    const family = families[0]!;
    const pipeline = 'runaway-loop';
    await createPipeline(pipeline, {
      source: family.source(pipeline, ['orders']),
      processors: [{ type: 'javascript', id: 'spin', inline: 'function processBatch(events) { while (true) {} }', limits: { timeout_ms: 400, cpu_ms: 60_000 } }],
      sinks: [kafkaSink(topicOf(family, 'runaway'))],
    });
    const { result, slowestMs, answers } = await watchHealth(async () => {
      await family.sql(`INSERT INTO ${NS}.orders (id, v) VALUES (5001, 1)`);
      await expect.poll(async () => (await api('GET', `/pipelines/${pipeline}`)).json.status, { timeout: 30_000 }).toBe('failed');
      return (await api('GET', `/pipelines/${pipeline}`)).json;
    });
    expect(result.failure).toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT' });
    expect(result.failure.message).toMatch(/javascript processor spin: the script went over limits\.timeout_ms \(400 ms.*spec\.journal is not enabled/);
    expect(answers).toBeGreaterThan(3);
    expect(slowestMs).toBeLessThan(1_000);
    expect(await readTopic(direct(), topicOf(family, 'runaway'))).toEqual([]);
    // Fixed through the API, the pipeline restarts from its checkpoint: the row that hit the loop
    // was never half applied nor skipped, and arrives now.
    const patched = await api('PATCH', `/pipelines/${pipeline}`, { spec: { processors: [{ inline: 'function processBatch(events) { return events; }' }] } });
    expect(patched.status, patched.text).toBe(200);
    await expect.poll(async () => (await readTopic(direct(), topicOf(family, 'runaway'))).map((r) => (json(r).after as { id: number }).id), { timeout: 30_000 }).toEqual([5001]);
    await api('DELETE', `/pipelines/${pipeline}`);
    expect((await fetch(`${engine.apiUrl}/health`)).status).toBe(200);
  }, 120_000);

  it('a 1 GB allocation is stopped at mem_mb; with the journal the batch goes to the DLQ and later rows flow', async () => {
    const family = families[0]!;
    const pipeline = 'runaway-alloc';
    const topic = topicOf(family, 'alloc');
    await createPipeline(pipeline, {
      source: family.source(pipeline, ['orders']),
      journal: { enabled: true },
      processors: [{
        type: 'javascript',
        id: 'hoard',
        inline: `function processBatch(events) {
          if (events.some((e) => e.after && e.after.note === 'poison')) { const gigabyte = new Uint8Array(1024 * 1024 * 1024); gigabyte.fill(1); }
          return events;
        }`,
        limits: { mem_mb: 64, cpu_ms: 60_000 }, // only mem_mb may stop it: zero-filling 1 GB can take over the default 50 ms of CPU on a busy machine
      }],
      sinks: [kafkaSink(topic)],
    });
    const { slowestMs } = await watchHealth(async () => {
      await family.sql(`INSERT INTO ${NS}.orders (id, v, note) VALUES (6001, 1, 'poison')`);
      await expect.poll(async () => (await api('GET', `/pipelines/${pipeline}/journal/dlq`)).json?.length ?? 0, { timeout: 30_000 }).toBe(1);
    });
    expect(slowestMs).toBeLessThan(1_000);
    const [entry] = (await api('GET', `/pipelines/${pipeline}/journal/dlq`)).json;
    expect(entry).toMatchObject({ event: { after: { id: 6001, note: 'poison' } }, meta: { sink_id: 'processor:hoard', error_code: 'TIDEMARK_ERR_PROCESSOR_LIMIT' } });
    expect(entry.meta.error_message).toMatch(/limits\.mem_mb \(64 MB/);
    // The pipeline kept running: the next rows arrive, the poison row does not.
    await family.sql(`INSERT INTO ${NS}.orders (id, v, note) VALUES (6002, 2, 'fine'), (6003, 3, 'fine')`);
    await expect.poll(async () => (await readTopic(direct(), topic)).map((r) => (json(r).after as { id: number }).id), { timeout: 30_000 }).toEqual([6002, 6003]);
    expect((await api('GET', `/pipelines/${pipeline}`)).json.status).toBe('running');
    const health = await fetch(`${engine.apiUrl}/health`);
    expect(health.status).toBe(200);
    const metrics = metricSamples(await (await fetch(engine.metricsUrl)).text());
    expect(metrics.get(`tidemark_processor_limit_exceeded_total{pipeline="${pipeline}",processor="hoard",limit="mem_mb"}`)).toBe(1);
  }, 120_000);
});

describe('processors through the REST API', () => {
  it('rejects a processor that cannot work with a 400 naming the field', async () => {
    const family = families[0]!;
    const bad = await api('POST', '/pipelines', {
      metadata: { name: 'bad-processors', tenant: 'acme' },
      spec: {
        source: family.source('bad-processors', ['orders']),
        processors: [
          { type: 'filter', fields: [{ path: 'email', op: 'regex', value: '(' }] },
          { type: 'javascript', id: 'broken', inline: 'function processBatch(events) {\n  return events.map(;\n}' },
        ],
        sinks: [kafkaSink(topicOf(family, 'bad'))],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/spec\.processors\[0\]\.fields\[0\]\.value: invalid regex/);
    expect(bad.text).toMatch(/spec\.processors\[1\]\.inline: the script does not compile: .*\(line 2\)/);
  });
});
