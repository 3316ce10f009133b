import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../../../../engine/src/errors/index.js';
import { generatedLog, memoryEvent } from '../../../../engine/src/testing/index.js';
import { pipelineDoc, until } from '../../runtime/fixtures.js';
import { startHarness, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ metricsOnApi: true });
});
afterAll(async () => {
  await h.close();
});

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const raw = typeof body === 'string';
  const res = await h.api.app.inject({
    method: method as 'GET',
    url,
    ...(body === undefined ? {} : { payload: raw ? body : (body as object) }),
    headers: raw ? { 'content-type': 'application/json', ...headers } : headers,
  });
  let json: unknown = undefined;
  try {
    json = res.json();
  } catch {
    // text responses (/metrics)
  }
  return { status: res.statusCode, json: json as Record<string, any>, text: res.body, headers: res.headers };
}

function expectError(r: { status: number; json: Record<string, any> }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.json.code).toBe(code);
  expect(typeof r.json.message).toBe('string');
}

describe('pipelines', () => {
  it('POST creates (201, starting or running) without apiVersion/kind and returns promptly', async () => {
    h.components.plan('orders', { log: generatedLog({ events: 40, txSize: 2 }) });
    const doc = pipelineDoc('orders', { labels: { env: 'prod', team: 'core' } });
    delete doc.apiVersion;
    delete doc.kind;
    const r = await call('POST', '/pipelines', doc);
    expect(r.status).toBe(201);
    expect(['starting', 'running']).toContain(r.json.status);
    expect(r.json).toMatchObject({ name: 'orders', tenant: 'acme', origin: 'api', labels: { env: 'prod', team: 'core' }, failure: null });
    expect(r.json.spec.spec.source.config.dsn).toBe('mysql://app:***@127.0.0.1:1/shop');
    await until(() => h.components.delivered('orders').length === 40, 5000, 'delivery');
  });

  it('POST refuses duplicates (409) and bad bodies (400 naming the field path)', async () => {
    expectError(await call('POST', '/pipelines', pipelineDoc('orders')), 409, 'PIPELINE_ALREADY_EXISTS');
    const bad = pipelineDoc('bad');
    (bad.spec as Record<string, any>).batch = { max_events: 0, bogus: 1 };
    const r = await call('POST', '/pipelines', bad);
    expectError(r, 400, 'INVALID_REQUEST');
    expect(r.json.problems.map((p: { path: string }) => p.path).sort()).toEqual(['spec.batch.bogus', 'spec.batch.max_events']);
    expectError(await call('POST', '/pipelines', '{"metadata":'), 400, 'INVALID_REQUEST');
    expectError(await call('POST', '/pipelines', ''), 400, 'INVALID_REQUEST');
    const wrongType = await h.api.app.inject({ method: 'POST', url: '/pipelines', payload: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await call('GET', '/pipelines/bad')).status).toBe(404);
  });

  it('GET lists with label filters (AND, key-only) and rejects unknown query parameters', async () => {
    h.components.plan('audit', { log: generatedLog({ events: 0, txSize: 1 }) });
    expect((await call('POST', '/pipelines', pipelineDoc('audit', { labels: { env: 'dev', team: 'core' } }))).status).toBe(201);
    const names = async (q: string) => ((await call('GET', `/pipelines${q}`)).json as unknown as Array<{ name: string }>).map((p) => p.name).sort();
    expect(await names('')).toEqual(['audit', 'orders']);
    expect(await names('?label=env:prod')).toEqual(['orders']);
    expect(await names('?label=team&label=env:dev')).toEqual(['audit']);
    expect(await names('?label=missing')).toEqual([]);
    expectError(await call('GET', '/pipelines?labels=env'), 400, 'INVALID_REQUEST');
  });

  it('GET one returns PipeInfo with ops, and 404 for an unknown name', async () => {
    await until(() => h.manager.get('orders')!.sinkStatus()[0]?.position != null, 3000, 'checkpoint');
    const r = await call('GET', '/pipelines/orders');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('running');
    expect(r.json.ops).toMatchObject({ dlq_entries: null, sink_errors: { out: 0 }, sink_events: { out: 40 } });
    expect(r.json.ops.uptime_seconds).toBeGreaterThan(0);
    expect(r.json.ops.checkpoints).toEqual([expect.objectContaining({ sink_id: 'out', position: { offset: 39 }, detached: false })]);
    expectError(await call('GET', '/pipelines/nope'), 404, 'PIPELINE_NOT_FOUND');
  });

  it('PATCH merges and restarts; name mismatch and invalid values are 400; unknown is 404', async () => {
    const r = await call('PATCH', '/pipelines/orders', { spec: { batch: { max_events: 99 } }, metadata: { labels: { tier: 'gold' } } });
    expect(r.status).toBe(200);
    expect(r.json.spec.spec.batch.max_events).toBe(99);
    expect(r.json.labels).toEqual({ env: 'prod', team: 'core', tier: 'gold' });
    expectError(await call('PATCH', '/pipelines/orders', { metadata: { name: 'renamed' } }), 400, 'PIPELINE_NAME_MISMATCH');
    const bad = await call('PATCH', '/pipelines/orders', { spec: { commit_policy: { mode: 'most' } } });
    expectError(bad, 400, 'INVALID_REQUEST');
    expect(bad.json.problems[0].path).toBe('spec.commit_policy.mode');
    expectError(await call('PATCH', '/pipelines/orders', [1, 2]), 400, 'INVALID_REQUEST');
    expectError(await call('PATCH', '/pipelines/nope', { spec: {} }), 404, 'PIPELINE_NOT_FOUND');
  });

  it('pause / resume / stop change the status; pausing a stopped pipeline is 409; unknown is 404', async () => {
    await until(() => h.manager.get('orders')!.status === 'running', 3000, 'running after patch');
    expect((await call('POST', '/pipelines/orders/pause')).json.status).toBe('paused');
    expect((await call('POST', '/pipelines/orders/pause', '')).json.status).toBe('paused'); // idempotent, empty JSON body accepted
    expect((await call('POST', '/pipelines/orders/resume')).json.status).toBe('running');
    const stopped = await call('POST', '/pipelines/orders/stop');
    expect(stopped.json).toMatchObject({ status: 'stopped', desired: 'stopped' });
    expectError(await call('POST', '/pipelines/orders/pause'), 409, 'INVALID_STATE');
    expect(['starting', 'running']).toContain((await call('POST', '/pipelines/orders/resume')).json.status);
    for (const action of ['pause', 'resume', 'stop']) expectError(await call('POST', `/pipelines/nope/${action}`), 404, 'PIPELINE_NOT_FOUND');
  });

  it('DELETE removes (204) and is 404 afterwards', async () => {
    expect((await call('DELETE', '/pipelines/audit')).status).toBe(204);
    expectError(await call('DELETE', '/pipelines/audit'), 404, 'PIPELINE_NOT_FOUND');
    expectError(await call('GET', '/pipelines/audit'), 404, 'PIPELINE_NOT_FOUND');
  });
});

describe('inspection', () => {
  it('checkpoints: per-sink position and age from the store; 404 for unknown', async () => {
    await until(() => h.manager.get('orders')!.status === 'running', 3000, 'running');
    const r = await call('GET', '/pipelines/orders/checkpoints');
    expect(r.status).toBe(200);
    expect(r.json).toEqual([expect.objectContaining({ sink_id: 'out', required: true, position: { offset: 39 } })]);
    const [cp] = r.json as unknown as Array<{ age_seconds: number; updated_at: string }>;
    expect(cp!.age_seconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(cp!.updated_at)).toBeGreaterThan(Date.now() - 60_000);
    expectError(await call('GET', '/pipelines/nope/checkpoints'), 404, 'PIPELINE_NOT_FOUND');
  });

  it('schemas: lists what the source registered under <type>:<id>:schemas, one table with columns; 404s', async () => {
    const kv = h.backend.forPipeline('orders').kv;
    await kv.put('mysql:src:schemas', 'shop.orders', { db: 'shop', table: 'orders', columns: [{ name: 'id' }, { name: 'total' }], primaryKey: ['id'], fingerprint: 'ab12', version: 2, sequence: 5, registeredAt: 0 });
    await kv.put('mysql:src', 'identity', { uuid: 'x' });
    await kv.put('mysql:other-source:schemas', 'shop.ignored', { db: 'shop', table: 'ignored' });
    const r = await call('GET', '/pipelines/orders/schemas');
    expect(r.json).toEqual([{ database: 'shop', table: 'orders', column_count: 2, primary_key: ['id'], fingerprint: 'sha256:ab12', registry_version: 2, sequence: 5, updated_at: '1970-01-01T00:00:00.000Z' }]);
    const one = await call('GET', '/pipelines/orders/schemas/shop/orders');
    expect(one.json).toMatchObject({ database: 'shop', table: 'orders', columns: [{ name: 'id' }, { name: 'total' }] });
    expectError(await call('GET', '/pipelines/orders/schemas/shop/nope'), 404, 'NOT_FOUND');
    expectError(await call('GET', '/pipelines/nope/schemas'), 404, 'PIPELINE_NOT_FOUND');
    expectError(await call('GET', '/pipelines/nope/schemas/shop/orders'), 404, 'PIPELINE_NOT_FOUND');
  });
});

describe('DLQ', () => {
  it('is 404 DLQ_NOT_ENABLED for a pipeline without a journal, and PIPELINE_NOT_FOUND for an unknown one', async () => {
    for (const [method, url] of [['GET', ''], ['GET', '/count'], ['POST', '/ack'], ['DELETE', '']] as const) {
      expectError(await call(method, `/pipelines/orders/journal/dlq${url}`, method === 'POST' ? { up_to_seq: 1 } : undefined), 404, 'DLQ_NOT_ENABLED');
      expectError(await call(method, `/pipelines/nope/journal/dlq${url}`, method === 'POST' ? { up_to_seq: 1 } : undefined), 404, 'PIPELINE_NOT_FOUND');
    }
  });

  it('peeks with filters, counts, acks up to a seq and purges', async () => {
    h.components.plan('dl', { log: generatedLog({ events: 0, txSize: 1 }) });
    expect((await call('POST', '/pipelines', pipelineDoc('dl', { journal: true, sinks: ['a', 'b'] }))).status).toBe(201);
    const journal = h.manager.get('dl')!.journal()!;
    const poison = (i: number, code: 'TIDEMARK_ERR_SINK_SERIALIZATION' | 'TIDEMARK_ERR_SINK_ROUTING') => ({
      event: { ...memoryEvent(i, { key: i, txId: `t${i}`, txIndex: 0, txEnd: true }), after: { id: i, token: 'tok-secret' } },
      error: new TidemarkError(code, `event ${i} is poison`),
    });
    await journal.write('a', 1, [poison(1, 'TIDEMARK_ERR_SINK_SERIALIZATION'), poison(2, 'TIDEMARK_ERR_SINK_ROUTING')]);
    await journal.write('b', 2, [poison(3, 'TIDEMARK_ERR_SINK_SERIALIZATION')]);
    expect((await call('GET', '/pipelines/dl/journal/dlq/count')).json).toEqual({ count: 3 });
    const all = (await call('GET', '/pipelines/dl/journal/dlq')).json as unknown as Array<{ seq: number; meta: { sink_id: string; error_kind: string }; event: { after: { token: string } } }>;
    expect(all.map((e) => e.meta.sink_id)).toEqual(['a', 'a', 'b']);
    expect(all[0]!.event.after.token).toBe('***');
    const seqs = all.map((e) => e.seq);
    expect(((await call('GET', '/pipelines/dl/journal/dlq?sink_id=b')).json as unknown as unknown[]).length).toBe(1);
    expect(((await call('GET', '/pipelines/dl/journal/dlq?error_kind=routing')).json as unknown as unknown[]).length).toBe(1);
    expect(((await call('GET', '/pipelines/dl/journal/dlq?limit=2')).json as unknown as unknown[]).length).toBe(2);
    const badLimit = await call('GET', '/pipelines/dl/journal/dlq?limit=5000');
    expectError(badLimit, 400, 'INVALID_REQUEST');
    expect(badLimit.json.problems[0].path).toBe('limit');
    const badAck = await call('POST', '/pipelines/dl/journal/dlq/ack', { up_to: 3 });
    expectError(badAck, 400, 'INVALID_REQUEST');
    expect(badAck.json.problems.map((p: { path: string }) => p.path).sort()).toEqual(['up_to', 'up_to_seq']);
    expect((await call('POST', '/pipelines/dl/journal/dlq/ack', { up_to_seq: seqs[1] })).json).toEqual({ acked: 2 });
    expect((await call('GET', '/pipelines/dl/journal/dlq/count')).json).toEqual({ count: 1 });
    expect((await call('GET', '/pipelines/dl')).json.ops.dlq_entries).toBe(1);
    expect((await call('DELETE', '/pipelines/dl/journal/dlq')).json).toEqual({ purged: 1 });
    expect((await call('GET', '/pipelines/dl/journal/dlq/count')).json).toEqual({ count: 0 });
  });
  it('a full DLQ under overflow_policy reject is counted in /health (degraded, still 200), the pipeline status and the metric', async () => {
    h.components.plan('rj', { log: generatedLog({ events: 0, txSize: 1 }) });
    const doc = pipelineDoc('rj', { journal: true }) as { spec: Record<string, unknown> };
    doc.spec.journal = { enabled: true, dlq: { max_entries: 1, overflow_policy: 'reject' } };
    expect((await call('POST', '/pipelines', doc)).status).toBe(201);
    expect((await call('GET', '/pipelines/rj')).json.ops.dlq_rejected).toBe(0);
    const poison = (i: number) => ({ event: memoryEvent(100 + i, { key: i, txId: `r${i}`, txIndex: 0, txEnd: true }), error: new TidemarkError('TIDEMARK_ERR_SINK_ROUTING', `event ${i} has no topic`) });
    await h.manager.get('rj')!.journal()!.write('out', 1, [poison(1), poison(2), poison(3)]);
    const health = await call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json.degraded).toContainEqual({ pipeline: 'rj', code: 'TIDEMARK_ERR_DLQ_FULL', reason: expect.stringMatching(/^2 poison events rejected and lost/), rejected: 2 });
    expect((await call('GET', '/pipelines/rj')).json.ops).toMatchObject({ dlq_entries: 1, dlq_rejected: 2 });
    expect((await call('GET', '/metrics')).text).toMatch(/tidemark_dlq_rejected_total\{pipeline="rj"\} 2/);
    expect((await call('DELETE', '/pipelines/rj')).status).toBe(204);
    expect((await call('GET', '/health')).json.degraded).toEqual([]);
  });
});

describe('health and system', () => {
  it('/health is 200 when healthy and 503 with code and redacted reason when a pipeline failed', async () => {
    expect((await call('GET', '/health')).json).toMatchObject({ status: 'healthy', failed_pipelines: [] });
    h.components.plan('broken', { log: generatedLog({ events: 1, txSize: 1 }), fatal: new TidemarkError('TIDEMARK_ERR_SOURCE_POSITION_LOST', 'position lost on mysql://app:s3cret-pw@db:3306/shop. Re-snapshot required.') });
    await call('POST', '/pipelines', pipelineDoc('broken'));
    await until(() => h.manager.get('broken')!.status === 'failed', 3000, 'failure');
    const r = await call('GET', '/health');
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ status: 'unhealthy', failed_pipelines: ['broken'], failures: [{ pipeline: 'broken', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', reason: 'position lost on mysql://app:***@db:3306/shop. Re-snapshot required.' }] });
    expect((await call('GET', '/pipelines/broken')).json.failure).toMatchObject({ code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', kind: 'fatal' });
    expect((await call('DELETE', '/pipelines/broken')).status).toBe(204);
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('/ready is 200 with pipelines once loaded and 503 otherwise', async () => {
    const r = await call('GET', '/ready');
    expect(r.status).toBe(200);
    expect((r.json.pipelines as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(['dl', 'orders']);
    h.ready = false;
    expect((await call('GET', '/ready')).json.status).toBe('not_ready');
    expect((await call('GET', '/ready')).status).toBe(503);
    h.ready = true;
  });

  it('/validate answers valid with a summary, or 400 with problems', async () => {
    expect((await call('POST', '/validate', pipelineDoc('v', { sinks: ['a', 'b'] }))).json).toEqual({ valid: true, pipeline: 'v', source_type: 'mysql', sink_count: 2 });
    const bad = pipelineDoc('v');
    (bad.metadata as Record<string, unknown>).tenant = '';
    const r = await call('POST', '/validate', bad);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ valid: false, code: 'INVALID_REQUEST', problems: [{ path: 'metadata.tenant' }] });
    expect(h.manager.get('v')).toBeUndefined();
  });

  it('/log-level reads and changes the level; an unknown level is 400', async () => {
    expect((await call('GET', '/log-level')).json).toEqual({ level: 'silent' });
    expect((await call('PUT', '/log-level', { level: 'debug' })).json).toEqual({ level: 'debug' });
    expect((await call('GET', '/log-level')).json).toEqual({ level: 'debug' });
    const r = await call('PUT', '/log-level', { level: 'chatty' });
    expectError(r, 400, 'INVALID_REQUEST');
    expect(r.json.problems[0].path).toBe('level');
  });

  it('/metrics serves the exposition when it shares the API address', async () => {
    const r = await call('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/tidemark_sink_events_total\{pipeline="orders",sink="out"\} 40/);
    expect(r.text).toMatch(/tidemark_api_requests_total\{route="\/pipelines\/:name",method="GET",status="4xx"\} \d+/);
  });

  it('unknown routes are 404 NOT_FOUND as JSON', async () => {
    expectError(await call('GET', '/nothing/here'), 404, 'NOT_FOUND');
    expectError(await call('PUT', '/pipelines'), 404, 'NOT_FOUND');
  });

  it('no response leaks a secret from a spec, an error or a DLQ entry', async () => {
    const urls = ['/pipelines', '/pipelines/orders', '/pipelines/dl', '/ready', '/health', '/pipelines/orders/checkpoints', '/pipelines/dl/journal/dlq'];
    for (const url of urls) {
      const body = (await call('GET', url)).text;
      expect(body, url).not.toMatch(/s3cret-pw|redis-pw|tok-secret/);
    }
  });
});

describe('/openapi.json', () => {
  it('describes exactly the routes fastify registered, each with responses', async () => {
    const doc = (await call('GET', '/openapi.json')).json as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    const registered = h.api.registered.map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`).sort();
    expect(documented).toEqual(registered);
    expect(registered).toEqual(
      expect.arrayContaining(['GET /health', 'GET /ready', 'POST /pipelines', 'PATCH /pipelines/{name}', 'POST /pipelines/{name}/journal/dlq/ack', 'PUT /log-level', 'GET /openapi.json', 'GET /metrics']),
    );
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(1);
    expect(doc.paths['/health']!.get).toMatchObject({ security: [] });
    expect((doc.paths['/pipelines']!.post as Record<string, any>).requestBody.content['application/json'].schema.properties.spec).toBeDefined();
  });
});
