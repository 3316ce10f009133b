import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pipelineSpec } from '../../../../engine/src/config/index.js';
import { createEnvelope, idempotencyKey, type ChangeEvent } from '../../../../engine/src/event/index.js';
import { closeDeadLetterJournals, openDeadLetterJournal } from '../../../../engine/src/journal/index.js';
import { generatedLog } from '../../../../engine/src/testing/index.js';
import { logOf, makeSink, startPipeline, TENANT } from '../pipeline-harness.js';
import { Receiver } from './receiver.js';

let receiver: Receiver;
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tidemark-http-it-'));
});
afterAll(() => {
  closeDeadLetterJournals();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  receiver = new Receiver();
  await receiver.start();
});
afterEach(async () => {
  await receiver.stop();
});

const events = (n: number, opts: { txSize?: number } = {}): ChangeEvent[] => {
  const log = generatedLog({ events: n, txSize: opts.txSize ?? 1, keys: 7, payloadBytes: 120 });
  return Array.from({ length: n }, (_, i) => log.at(i));
};

const bodyRows = (bodies: readonly string[]) =>
  bodies.flatMap((b) => {
    const parsed = JSON.parse(b) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ after: { id: number; v: number }; source: { table: string } }>;
  });

describe('http sink: round trip and routing', () => {
  for (const envelope of [{ type: 'native' }, { type: 'debezium' }, { type: 'cloudevents', type_prefix: 'com.acme.cdc' }] as const) {
    it(`posts each event in the ${envelope.type} envelope with the idempotency headers and bearer auth`, async () => {
      const sink = makeSink({ type: 'http', config: { id: 'h', url: `${receiver.url}/hook`, envelope, auth: { bearer: 'tok' }, headers: { 'X-Source': 'tidemark' } } });
      const evs = events(10, { txSize: 3 });
      const p = await startPipeline({ sink, log: logOf(evs) });
      await p.waitForCommit(9);
      await p.coordinator.stop();
      const got = receiver.accepted;
      expect(got).toHaveLength(10);
      const wrap = createEnvelope(envelope);
      const byKey = new Map(got.map((r) => [r.headers['idempotency-key'], r]));
      for (const e of evs) {
        const r = byKey.get(idempotencyKey(TENANT, e))!;
        expect(r.method).toBe('POST');
        expect(r.path).toBe('/hook');
        expect(r.body).toBe(JSON.stringify(wrap(e)));
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers.authorization).toBe('Bearer tok');
        expect(r.headers['x-source']).toBe('tidemark');
        expect(r.headers['tidemark-event-id']).toBe(e.id);
        expect(r.headers['tidemark-tx-id']).toBe(e.tx.id);
      }
    });
  }

  it('batch mode: one JSON array per url, routed per table, with PUT and basic auth', async () => {
    const sink = makeSink({ type: 'http', config: { id: 'h', url: `${receiver.url}/cdc/\${source.table}`, method: 'PUT', batch_mode: true, auth: { basic: { username: 'u', password: 'p' } } } });
    const evs = events(40);
    const p = await startPipeline({ sink, log: logOf(evs), batch: { max_events: 20 } });
    await p.waitForCommit(39);
    await p.coordinator.stop();
    const got = receiver.accepted;
    expect(got.every((r) => r.method === 'PUT' && r.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`)).toBe(true);
    expect(new Set(got.map((r) => r.path))).toEqual(new Set(['/cdc/orders', '/cdc/items']));
    for (const r of got) {
      const rows = bodyRows([r.body]);
      expect(rows.length).toBe(Number(r.headers['tidemark-event-count']));
      expect(rows.every((row) => `/cdc/${row.source.table}` === r.path)).toBe(true);
    }
    expect(bodyRows(got.map((r) => r.body)).map((r) => r.after.v).sort((a, b) => a - b)).toEqual(evs.map((_, i) => i));
  });
});

describe('http sink: retries and failures', () => {
  it('retries on 503 until the receiver accepts, losing nothing', async () => {
    receiver.respond = ({ n }) => ({ status: n < 4 ? 503 : 200 });
    const sink = makeSink({ type: 'http', config: { id: 'h', url: receiver.url } });
    const evs = events(30);
    const p = await startPipeline({ sink, log: logOf(evs) });
    await p.waitForCommit(29);
    await p.coordinator.stop();
    expect(receiver.log.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(4);
    expect(new Set(receiver.accepted.map((r) => r.headers['idempotency-key'])).size).toBe(30);
  });

  for (const [form, value] of [
    ['seconds', () => '1'],
    ['HTTP date', () => new Date(Date.now() + 2000).toUTCString()],
  ] as const) {
    it(`honours Retry-After (${form}) on 429`, async () => {
      let throttledAt = 0;
      receiver.respond = ({ n }) => {
        if (n === 0) {
          throttledAt = Date.now();
          return { status: 429, headers: { 'retry-after': value() } };
        }
        return { status: 200 };
      };
      const sink = makeSink({ type: 'http', config: { id: 'h', url: receiver.url, batch_mode: true } });
      const p = await startPipeline({ sink, log: logOf(events(5)), batch: { max_events: 10 } });
      await p.waitForCommit(4);
      await p.coordinator.stop();
      const retry = receiver.log[1]!;
      // Our backoff here is at most 300 ms, so a ~1 s gap can only come from Retry-After (date form: 1-2 s, second granularity).
      expect(retry.at - throttledAt).toBeGreaterThanOrEqual(950);
      expect(retry.status).toBe(200);
    });
  }

  it('stops on 400: the pipeline fails with a non-retryable error naming the status', async () => {
    receiver.respond = () => ({ status: 400 });
    const sink = makeSink({ type: 'http', config: { id: 'h', url: receiver.url } });
    const p = await startPipeline({ sink, log: logOf(events(5)) });
    await p.waitForFailure();
    expect(p.coordinator.failure).toMatchObject({ code: 'TIDEMARK_ERR_HTTP_REJECTED', kind: 'non-retryable' });
    expect(p.coordinator.failure!.message).toContain('HTTP 400');
    // One failed attempt, never retried (the engine's own counter), and nothing sent after it.
    expect(p.failedAttempts()).toBe(1);
    const attempts = receiver.log.length;
    await p.coordinator.stop();
    expect(receiver.log.length).toBe(attempts);
  });

  it('stops on 401 with an auth error', async () => {
    receiver.respond = () => ({ status: 401 });
    const sink = makeSink({ type: 'http', config: { id: 'h', url: receiver.url, auth: { bearer: 'expired' } } });
    const p = await startPipeline({ sink, log: logOf(events(3)) });
    await p.waitForFailure();
    expect(p.coordinator.failure).toMatchObject({ code: 'TIDEMARK_ERR_SINK_AUTH', kind: 'non-retryable' });
    expect(p.coordinator.failure!.message).not.toContain('expired');
  });
});

describe('http sink: poison events', () => {
  it('a url that does not resolve and a 413 go to the DLQ; neighbours arrive', async () => {
    const evs = events(20).map((e, i) => (i === 6 ? e : { ...e, after: { ...e.after, tenant: 't1' } }));
    receiver.respond = ({ headers }) => ({ status: headers['tidemark-event-id'] === evs[13]!.id ? 413 : 200 });
    const spec = pipelineSpec.parse({
      apiVersion: 'tidemark/v1',
      kind: 'Pipeline',
      metadata: { name: 'http-poison', tenant: TENANT },
      spec: { source: { type: 'mysql', config: { id: 'm', dsn: 'mysql://x@localhost/db' } }, sinks: [{ type: 'http', config: { id: 'h', url: 'http://x' } }], journal: { enabled: true } },
    });
    const dlq = openDeadLetterJournal(dataDir, spec);
    const sink = makeSink({ type: 'http', config: { id: 'h', url: `${receiver.url}/t/\${after.tenant}` } }, { dlqEnabled: true });
    const p = await startPipeline({ sink, log: logOf(evs), dlq });
    await p.waitForCommit(19);
    await p.coordinator.stop();
    const delivered = new Set(receiver.accepted.map((r) => r.headers['tidemark-event-id']));
    expect(delivered).toEqual(new Set(evs.filter((_, i) => i !== 6 && i !== 13).map((e) => e.id)));
    const entries = await dlq.peek({});
    expect(entries.map((e) => [e.event_id, e.meta.error_kind]).sort()).toEqual(
      [
        [evs[6]!.id, 'routing'],
        [evs[13]!.id, 'too_large'],
      ].sort(),
    );
  });
});
