import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, EngineProcess, metricSamples } from './engine-process.js';

/**
 * The control plane through real HTTP against `tidemark run` as a child process. Sources point
 * at a closed port, so pipelines stay `starting` (retrying in the background): this suite needs
 * no database and checks that an unreachable source never blocks the API.
 */
const TOKEN = 'api-process-token';
const root = mkdtempSync(join(tmpdir(), 'tidemark-api-process-'));
const dataDir = join(root, 'data');
const configFile = join(root, 'pipelines.yaml');

function doc(name: string, extra: { journal?: boolean; labels?: Record<string, string> } = {}) {
  return {
    metadata: { name, tenant: 'acme', labels: extra.labels ?? {} },
    spec: {
      source: { type: 'mysql', config: { id: 'src', dsn: 'mysql://cdc:db-secret@127.0.0.1:1/shop', tables: ['shop.orders'] } },
      sinks: [{ type: 'http', config: { id: 'hook', url: 'http://127.0.0.1:1/events', auth: { bearer: 'sink-secret' } } }],
      ...(extra.journal ? { journal: { enabled: true } } : {}),
    },
  };
}

const configYaml = (maxEvents: number) => `apiVersion: tidemark/v1
kind: Pipeline
metadata: { name: from-file, tenant: acme, labels: { origin: file } }
spec:
  source: { type: mysql, config: { id: src, dsn: "mysql://cdc:\${FILE_DB_PASSWORD}@127.0.0.1:1/shop" } }
  sinks: [{ type: http, config: { id: hook, url: "http://127.0.0.1:1/x" } }]
  batch: { max_events: ${maxEvents} }
`;

let engine: EngineProcess;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  writeFileSync(configFile, configYaml(100));
  engine = new EngineProcess(dataDir, ['--config', configFile, '--api-token', TOKEN], { FILE_DB_PASSWORD: 'file-secret' });
  await engine.start();
  api = apiClient(engine, TOKEN);
}, 60_000);

afterAll(async () => {
  await engine?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('tidemark run: control plane over HTTP', () => {
  it('enforces the token everywhere except /health and /ready', async () => {
    expect((await api('GET', '/health', undefined, null)).status).toBe(200);
    expect((await api('GET', '/ready', undefined, null)).status).toBe(200);
    for (const auth of [null, 'Bearer nope']) {
      const r = await api('GET', '/pipelines', undefined, auth);
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('UNAUTHORIZED');
    }
    expect((await api('GET', '/pipelines')).status).toBe(200);
  });

  it('creates promptly (201, starting) although the source cannot connect, and keeps retrying', async () => {
    const started = Date.now();
    const r = await api('POST', '/pipelines', doc('orders', { labels: { env: 'prod' } }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.status).toBe(201);
    expect(r.json.status).toBe('starting');
    await expect.poll(async () => (await api('GET', '/pipelines/orders')).json.last_error?.code, { timeout: 15_000 }).toBe('TIDEMARK_ERR_SOURCE_CONNECT');
    const health = await api('GET', '/health', undefined, null);
    expect(health.status).toBe(200); // retrying is not failed
    expectNoSecrets(r.text);
  });

  it('answers every route with the documented statuses and codes', async () => {
    expect((await api('POST', '/pipelines', doc('orders'))).json.code).toBe('PIPELINE_ALREADY_EXISTS');
    const bad = await api('POST', '/pipelines', { ...doc('x'), spec: { ...doc('x').spec, sinks: [] } });
    expect([bad.status, bad.json.code, bad.json.problems[0].path]).toEqual([400, 'INVALID_REQUEST', 'spec.sinks']);
    expect((await api('POST', '/pipelines', doc('journaled', { journal: true }))).status).toBe(201);

    const list = await api('GET', '/pipelines?label=env:prod');
    expect(list.json.map((p: { name: string }) => p.name)).toEqual(['orders']);
    expect((await api('GET', '/pipelines/orders')).json.ops.checkpoints).toEqual([expect.objectContaining({ sink_id: 'hook', position: null, age_seconds: null })]);
    expect((await api('GET', '/pipelines/ghost')).json.code).toBe('PIPELINE_NOT_FOUND');

    const patched = await api('PATCH', '/pipelines/orders', { spec: { batch: { max_ms: 25 } } });
    expect([patched.status, patched.json.spec.spec.batch.max_ms]).toEqual([200, 25]);
    expect((await api('PATCH', '/pipelines/orders', { metadata: { name: 'other' } })).json.code).toBe('PIPELINE_NAME_MISMATCH');
    const badPatch = await api('PATCH', '/pipelines/orders', { spec: { batch: { max_ms: 'soon' } } });
    expect([badPatch.status, badPatch.json.problems[0].path]).toEqual([400, 'spec.batch.max_ms']);

    expect((await api('POST', '/pipelines/orders/pause')).json).toMatchObject({ status: 'starting', desired: 'paused' });
    expect((await api('POST', '/pipelines/orders/resume')).json).toMatchObject({ desired: 'running' });
    expect((await api('POST', '/pipelines/orders/stop')).json).toMatchObject({ status: 'stopped' });
    expect((await api('POST', '/pipelines/orders/pause')).json.code).toBe('INVALID_STATE');
    expect((await api('POST', '/pipelines/ghost/resume')).status).toBe(404);

    expect((await api('GET', '/pipelines/orders/checkpoints')).json).toEqual([expect.objectContaining({ sink_id: 'hook', position: null })]);
    expect((await api('GET', '/pipelines/orders/schemas')).json).toEqual([]);
    expect((await api('GET', '/pipelines/orders/schemas/shop/orders')).json.code).toBe('NOT_FOUND');

    expect((await api('GET', '/pipelines/orders/journal/dlq/count')).json.code).toBe('DLQ_NOT_ENABLED');
    expect((await api('GET', '/pipelines/journaled/journal/dlq/count')).json).toEqual({ count: 0 });
    expect((await api('GET', '/pipelines/journaled/journal/dlq?limit=10')).json).toEqual([]);
    expect((await api('POST', '/pipelines/journaled/journal/dlq/ack', { up_to_seq: 10 })).json).toEqual({ acked: 0 });
    expect((await api('POST', '/pipelines/journaled/journal/dlq/ack', { up_to_seq: -1 })).json.problems[0].path).toBe('up_to_seq');
    expect((await api('DELETE', '/pipelines/journaled/journal/dlq')).json).toEqual({ purged: 0 });

    expect((await api('POST', '/validate', doc('v'))).json).toEqual({ valid: true, pipeline: 'v', source_type: 'mysql', sink_count: 1 });
    expect((await api('POST', '/validate', { metadata: { name: 'v' } })).status).toBe(400);
    expect((await api('GET', '/log-level')).json).toEqual({ level: 'info' });
    expect((await api('PUT', '/log-level', { level: 'debug' })).json).toEqual({ level: 'debug' });
    expect((await api('PUT', '/log-level', { level: 'info' })).json).toEqual({ level: 'info' });
    expect((await api('GET', '/no-such-route')).json.code).toBe('NOT_FOUND');

    const openapi = await api('GET', '/openapi.json');
    expect(Object.keys(openapi.json.paths)).toEqual(expect.arrayContaining(['/pipelines/{name}/journal/dlq/ack', '/log-level', '/validate']));
    expect((await api('DELETE', '/pipelines/journaled')).status).toBe(204);
    expect((await api('DELETE', '/pipelines/journaled')).json.code).toBe('PIPELINE_NOT_FOUND');
  });

  it('serves /metrics on its own address, without the token, with the API counters', async () => {
    const text = await (await fetch(engine.metricsUrl)).text();
    const s = metricSamples(text);
    expect(s.get('tidemark_pipeline_status{pipeline="orders"}')).toBe(0);
    expect(s.get('tidemark_pipeline_status{pipeline="from-file"}')).toBe(0.25);
    expect(s.get('tidemark_api_requests_total{route="/pipelines",method="POST",status="2xx"}')).toBeGreaterThanOrEqual(2);
    expect(s.get('tidemark_api_requests_total{route="/pipelines",method="GET",status="4xx"}')).toBeGreaterThanOrEqual(2);
    expect(s.get('tidemark_pipeline_restarts_total{pipeline="from-file"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('tidemark_process_resident_memory_bytes');
  });

  it('never returns a secret: DSN passwords, sink tokens and expanded ${ENV} values are masked', async () => {
    for (const path of ['/pipelines', '/pipelines/orders', '/pipelines/from-file', '/ready']) expectNoSecrets((await api('GET', path)).text);
    expect((await api('GET', '/pipelines/from-file')).json.spec.spec.source.config.dsn).toBe('mysql://cdc:***@127.0.0.1:1/shop');
  });

  it('after SIGKILL, restores API pipelines and API changes to file pipelines with their desired state', async () => {
    expect((await api('PATCH', '/pipelines/from-file', { spec: { batch: { max_events: 7 } } })).status).toBe(200);
    expect((await api('POST', '/pipelines', doc('later'))).status).toBe(201);
    expect((await api('POST', '/pipelines/later/pause')).status).toBe(200);
    const persisted = readdirSync(join(dataDir, 'pipelines')).sort();
    expect(persisted).toEqual(['from-file.json', 'later.json', 'orders.json']);
    // `${ENV}` references stay references on disk.
    expect(readFileSync(join(dataDir, 'pipelines', 'from-file.json'), 'utf8')).toContain('${FILE_DB_PASSWORD}');

    await engine.kill();
    await engine.start();
    const byName = Object.fromEntries((await api('GET', '/pipelines')).json.map((p: { name: string }) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['from-file', 'later', 'orders']);
    expect(byName.orders).toMatchObject({ status: 'stopped', origin: 'api' });
    expect(byName.later).toMatchObject({ status: 'starting', desired: 'paused', origin: 'api' });
    expect(byName['from-file']).toMatchObject({ origin: 'config', desired: 'running' });
    expect(byName['from-file'].spec.spec.batch.max_events).toBe(7);
  }, 60_000);

  it('lets an edited --config document supersede the older API change on the next start', async () => {
    writeFileSync(configFile, configYaml(300));
    await engine.stop();
    expect(engine.exitCode).toBe(0);
    await engine.start();
    const fromFile = (await api('GET', '/pipelines/from-file')).json;
    expect(fromFile.spec.spec.batch.max_events).toBe(300);
    expect(readdirSync(join(dataDir, 'pipelines')).sort()).toEqual(['from-file.json.superseded', 'later.json', 'orders.json']);
    expect(engine.log).toMatch(/persisted API change superseded by the --config file/);
  }, 60_000);
});

function expectNoSecrets(text: string): void {
  expect(text).not.toMatch(/db-secret|sink-secret|file-secret/);
}
