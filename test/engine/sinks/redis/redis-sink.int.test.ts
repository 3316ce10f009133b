import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOptions, startTopology, type Topology } from '../../../../chaos/src/infra/index.js';
import { createEnvelope, idempotencyKey, type Batch, type ChangeEvent } from '../../../../engine/src/event/index.js';
import { closeDeadLetterJournals } from '../../../../engine/src/journal/index.js';
import { generatedLog } from '../../../../engine/src/testing/index.js';
import { eventually } from '../../../support/infra.js';
import { logOf, makeSink, startPipeline, TENANT } from '../pipeline-harness.js';
import { readStream } from './redis-read.js';

let topo: Topology;
let direct: Redis;
let uri: string;
let dataDir: string;

beforeAll(async () => {
  topo = await startTopology(['redis'], { provider: 'native' });
  const proxied = redisOptions(topo.get('redis'), 'proxy');
  uri = `redis://${proxied.host}:${proxied.port}`;
  direct = new Redis(redisOptions(topo.get('redis'), 'direct'));
  dataDir = mkdtempSync(join(tmpdir(), 'tidemark-redis-it-'));
});

afterAll(async () => {
  closeDeadLetterJournals();
  direct?.disconnect();
  await topo?.down();
  rmSync(dataDir, { recursive: true, force: true });
});

const events = (n: number, opts: { txSize?: number; payloadBytes?: number } = {}): ChangeEvent[] => {
  const log = generatedLog({ events: n, txSize: opts.txSize ?? 1, keys: 7, payloadBytes: opts.payloadBytes ?? 120 });
  return Array.from({ length: n }, (_, i) => log.at(i));
};

describe('redis sink: round trip and routing', () => {
  for (const envelope of [{ type: 'native' }, { type: 'debezium' }, { type: 'cloudevents', type_prefix: 'com.acme.cdc' }] as const) {
    it(`stores the ${envelope.type} envelope byte for byte, with the entry metadata`, async () => {
      const stream = `rt-${envelope.type}`;
      const sink = makeSink({ type: 'redis', config: { id: 'r', uri, stream, envelope } });
      const evs = events(10, { txSize: 3 });
      const p = await startPipeline({ sink, log: logOf(evs) });
      await p.waitForCommit(9);
      await p.coordinator.stop();
      const got = await readStream(direct, stream);
      expect(got).toHaveLength(10);
      const wrap = createEnvelope(envelope);
      got.forEach((entry, i) => {
        const e = evs[i]!;
        expect(entry.fields.event).toBe(JSON.stringify(wrap(e)));
        expect(entry.fields.idempotency_key).toBe(idempotencyKey(TENANT, e));
        expect(entry.fields['df-key']).toBe(`{"id":${(e.after as { id: number }).id}}`);
        expect(entry.fields['tidemark-event-id']).toBe(e.id);
        expect(entry.fields['tidemark-tx-id']).toBe(e.tx.id);
        expect(entry.fields['tidemark-tx-end']).toBe(e.tx.end ? '1' : '0');
        expect(Object.keys(entry.fields).slice(0, 3)).toEqual(['event', 'idempotency_key', 'df-key']);
      });
    });
  }

  it('routes by template to one stream per table and uses the key template', async () => {
    const sink = makeSink({ type: 'redis', config: { id: 'r', uri, stream: 'route.${source.table}', key: '${source.table}:${after.id}' } });
    const evs = events(20);
    const p = await startPipeline({ sink, log: logOf(evs) });
    await p.waitForCommit(19);
    await p.coordinator.stop();
    const orders = await readStream(direct, 'route.orders');
    const items = await readStream(direct, 'route.items');
    expect(orders).toHaveLength(10);
    expect(items).toHaveLength(10);
    expect(orders.every((e) => e.fields['tidemark-table'] === 'gen.orders')).toBe(true);
    expect(items[0]!.fields['df-key']).toBe(`items:${(evs[1]!.after as { id: number }).id}`);
  });
});

describe('redis sink: exactly-once script', () => {
  const batchOf = (evs: ChangeEvent[], seq = 1): Batch => ({ seq, events: evs, bytes: 0, position: evs[evs.length - 1]!.source.position });

  it('applies a batch once: a repeated batch is a no-op, a stale writer is refused', async () => {
    const config = { id: 'eo', uri, stream: 'eo-direct.${source.table}', exactly_once: true };
    const sink = makeSink({ type: 'redis', config }, { pipeline: 'eo-direct' });
    await sink.open();
    expect(await sink.readCheckpoint()).toBeNull();
    const evs = events(8);
    await sink.deliver(batchOf(evs));
    await sink.deliver(batchOf(evs)); // the reply of the first was "lost": same batch again
    expect((await direct.xlen('eo-direct.orders')) + (await direct.xlen('eo-direct.items'))).toBe(8);
    expect(await sink.readCheckpoint()).toEqual({ offset: 7 });

    // A second engine that has not read the checkpoint cannot append on top of it.
    const stale = makeSink({ type: 'redis', config }, { pipeline: 'eo-direct' });
    await stale.open();
    const next = events(12).slice(8);
    await expect(stale.deliver(batchOf(next))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_REDIS_CHECKPOINT_CONFLICT', kind: 'retryable' });
    expect(await stale.readCheckpoint()).toEqual({ offset: 7 });
    await stale.deliver(batchOf(next));
    expect((await direct.xlen('eo-direct.orders')) + (await direct.xlen('eo-direct.items'))).toBe(12);
    await sink.close();
    await stale.close();
  });

  it('writes nothing when one stream key has the wrong type', async () => {
    await direct.set('eo-wrong.items', 'not a stream');
    const sink = makeSink({ type: 'redis', config: { id: 'eo', uri, stream: 'eo-wrong.${source.table}', exactly_once: true } }, { pipeline: 'eo-wrong' });
    await sink.open();
    await sink.readCheckpoint();
    await expect(sink.deliver(batchOf(events(4)))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_REDIS_WRONGTYPE', kind: 'non-retryable' });
    expect(await direct.xlen('eo-wrong.orders')).toBe(0);
    expect(await sink.readCheckpoint()).toBeNull();
    await sink.close();
  });
});

describe('redis sink: no hidden re-sends', () => {
  it('an XADD whose reply was lost is not re-sent by the client after it reconnects', async () => {
    const sink = makeSink({ type: 'redis', config: { id: 'r', uri, stream: 'resend', batch_timeout_secs: 10 } });
    await sink.open();
    const evs = events(20);
    // Requests reach Redis, replies are held: the writes happen, their acknowledgement is lost.
    await topo.toxiproxy.timeout('redis', 0, { stream: 'downstream' });
    // Settle-capture at once: the rejection can arrive while the toxiproxy call below is in flight.
    const delivery = sink.deliver({ seq: 1, events: evs, bytes: 0, position: evs[19]!.source.position }).then(
      () => null,
      (e: unknown) => e,
    );
    await eventually(async () => expect(await direct.xlen('resend')).toBe(20), 5_000, 20);
    await topo.toxiproxy.down('redis');
    expect(await delivery).toMatchObject({ kind: 'retryable' });
    await topo.toxiproxy.clearToxics('redis');
    await topo.toxiproxy.up('redis');
    // The explicit retry is the coordinator's: the sink works again once reconnected (an
    // unconnected sink fails at once, writing nothing). With autoResendUnfulfilledCommands,
    // ioredis would replay the 20 lost XADDs on reconnect, before this write: 45 entries.
    await eventually(() => sink.deliver({ seq: 2, events: evs.slice(0, 5), bytes: 0, position: evs[4]!.source.position }), 5_000, 250);
    expect(await direct.xlen('resend')).toBe(25);
    await sink.close();
  });
});

