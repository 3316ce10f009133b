import { afterEach, describe, expect, it } from 'vitest';
import { readHttp, startHttpReceiver, type HttpReceiver } from '../../../chaos/src/readers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { deliverThroughEngine } from './engine-pipeline.js';
import { comparable, expectedRecord, workloadEvents } from './fixtures.js';

let receiver: HttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** The HTTP sink sends up to 16 requests at once (one lane per key), so compare per key, in order. */
function byKey<T extends Partial<SinkRecord>>(records: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of records) map.set(`${r.table} ${r.key}`, [...(map.get(`${r.table} ${r.key}`) ?? []), r]);
  return map;
}

/**
 * Turns the receiver healthy once its first request has arrived (and got the faulty answer): a
 * fixed delay could run out before a slow machine has even started the engine's sink.
 */
function healAfterFirstRequest(r: HttpReceiver): void {
  const poll = setInterval(() => {
    if (r.requests().length === 0) return;
    clearInterval(poll);
    r.behave({});
  }, 20);
}

describe('HTTP receiver and readHttp over the engine HTTP sink', () => {
  it('per-event mode: one record per accepted request, metadata from the tidemark-* headers', async () => {
    receiver = await startHttpReceiver();
    const events = workloadEvents(25, 7);
    await deliverThroughEngine({ type: 'http', config: { id: 'h', url: `${receiver.url}/cdc/\${source.table}` } }, events, 'rh-per-event');
    const history = await readHttp(receiver.requests(), { sink: 'h' });
    expect(history).toMatchObject({ sink: 'h', kind: 'http', exactlyOnce: false });
    expect(history.undecodable).toBeUndefined();
    expect(history.records).toHaveLength(events.length);
    expect(byKey(history.records.map(comparable))).toEqual(byKey(events.map((e) => expectedRecord(e))));
    expect(new Set(history.records.map((r) => r.stream))).toEqual(new Set(events.map((e) => `/cdc/${e.source.table}`)));
  }, 60_000);

  it('batch mode: JSON arrays become one record per item, without per-event metadata', async () => {
    receiver = await startHttpReceiver();
    const events = workloadEvents(25, 8);
    await deliverThroughEngine({ type: 'http', config: { id: 'h', url: `${receiver.url}/batch`, batch_mode: true } }, events, 'rh-batch');
    const history = await readHttp(receiver.requests());
    // One url, so requests go one after another and arrival order is event order.
    expect(history.records.map(comparable)).toEqual(events.map((e) => expectedRecord(e, false)));
    expect(history.records.map((r) => r.seq)).toEqual(events.map((_, i) => i));
    expect(history.records[0]?.position).toBe('/batch#0[0]');
  }, 60_000);

  it('refused requests (503) are logged but not records; the sink retries them', async () => {
    receiver = await startHttpReceiver({ status: 503, retryAfterS: 0 });
    const events = workloadEvents(6, 9);
    healAfterFirstRequest(receiver);
    await deliverThroughEngine({ type: 'http', config: { id: 'h', url: `${receiver.url}/cdc`, batch_mode: true } }, events, 'rh-503');
    expect(receiver.requests().some((q) => q.status === 503)).toBe(true);
    const history = await readHttp(receiver.requests());
    expect(history.records.map(comparable)).toEqual(events.map((e) => expectedRecord(e, false)));
  }, 60_000);

  it('a slow receiver makes the sink time out and resend: every accepted copy is a record', async () => {
    receiver = await startHttpReceiver({ delayMs: 2500 });
    const events = workloadEvents(3, 10);
    healAfterFirstRequest(receiver);
    await deliverThroughEngine({ type: 'http', config: { id: 'h', url: `${receiver.url}/slow`, batch_mode: true, send_timeout_secs: 1 } }, events, 'rh-slow');
    const history = await readHttp(receiver.requests());
    const once = events.map((e) => expectedRecord(e, false));
    expect(history.records.length).toBeGreaterThan(events.length);
    expect(history.records.length % events.length).toBe(0);
    expect(history.records.map(comparable)).toEqual(Array.from({ length: history.records.length / events.length }, () => once).flat());
  }, 60_000);
});

describe('HTTP receiver fault injection', () => {
  it('answers with the configured status, Retry-After and delay, and logs every request', async () => {
    receiver = await startHttpReceiver();
    const post = (body: string) => fetch(`${receiver?.url}/x?y=1`, { method: 'POST', body, headers: { 'tidemark-tx-id': 't1' } });
    expect((await post('a')).status).toBe(200);
    receiver.behave({ status: 429, retryAfterS: 3 });
    const limited = await post('b');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    receiver.behave({ status: 400 });
    const bad = await post('c');
    expect([bad.status, bad.headers.get('retry-after')]).toEqual([400, null]);
    receiver.behave({ delayMs: 300 });
    const started = Date.now();
    expect((await post('d')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(receiver.requests().map((q) => [q.seq, q.method, q.url, q.body, q.status, q.headers['tidemark-tx-id']])).toEqual([
      [0, 'POST', '/x?y=1', 'a', 200, 't1'],
      [1, 'POST', '/x?y=1', 'b', 429, 't1'],
      [2, 'POST', '/x?y=1', 'c', 400, 't1'],
      [3, 'POST', '/x?y=1', 'd', 200, 't1'],
    ]);
    // Undecodable accepted bodies are reported with their position, never silently dropped.
    expect((await readHttp(receiver.requests())).undecodable).toEqual([
      { position: '/x#0', error: expect.stringContaining('not JSON') },
      { position: '/x#3', error: expect.stringContaining('not JSON') },
    ]);
  });
});
