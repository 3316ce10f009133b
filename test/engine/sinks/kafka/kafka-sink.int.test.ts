import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address } from '../../../../chaos/src/infra/index.js';
import { pipelineSpec } from '../../../../engine/src/config/index.js';
import { ENGINE_VERSION, type ChangeEvent } from '../../../../engine/src/event/index.js';
import { closeDeadLetterJournals, openDeadLetterJournal } from '../../../../engine/src/journal/index.js';
import { generatedLog } from '../../../../engine/src/testing/index.js';
import { useTopology } from '../../../support/infra.js';
import { assertOrderPerKey, logOf, makeSink, startPipeline, TENANT } from '../pipeline-harness.js';
import { json, readTopic, type TopicRecord } from './kafka-read.js';

const CLIENTS = ['kafkajs', 'confluent'] as const;
const infra = useTopology(['kafka']);
let proxied: string;
let direct: string;
let dataDir: string;
let admin: kafkajs.Admin;

beforeAll(async () => {
  proxied = address(infra().get('kafka'), 'proxy');
  direct = address(infra().get('kafka'), 'direct');
  dataDir = mkdtempSync(join(tmpdir(), 'tidemark-kafka-it-'));
  admin = new kafkajs.Kafka({ brokers: [direct], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
});

afterAll(async () => {
  closeDeadLetterJournals();
  await admin?.disconnect();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const events = (n: number, opts: { txSize?: number; keys?: number; payloadBytes?: number } = {}): ChangeEvent[] => {
  const log = generatedLog({ events: n, txSize: opts.txSize ?? 1, keys: opts.keys ?? 7, payloadBytes: opts.payloadBytes ?? 120 });
  return Array.from({ length: n }, (_, i) => log.at(i));
};
const versions = (records: readonly TopicRecord[]) => records.map((r) => (json(r).after as { v: number }).v);
const rowsOf = (records: readonly TopicRecord[]) => records.map((r) => ({ table: r.headers['tidemark-table']!, id: (json(r).after as { id: number }).id, v: (json(r).after as { v: number }).v }));
const ascending = (n: number) => Array.from({ length: n }, (_, i) => i);

describe.each(CLIENTS)('kafka sink (%s): envelopes, keys and routing', (client) => {
  const cases = [
    { envelope: { type: 'native' }, keys: ['before', 'after', 'source', 'op', 'ts_ms'] },
    { envelope: { type: 'debezium' }, keys: ['schema', 'payload'] },
    { envelope: { type: 'cloudevents', type_prefix: 'com.acme.cdc' }, keys: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'subject', 'data'] },
  ] as const;

  for (const { envelope, keys } of cases) {
    it(`round-trips the ${envelope.type} envelope byte for byte`, async () => {
      const topic = `rt-${client}-${envelope.type}`;
      const evs = events(6);
      const sink = makeSink({ type: 'kafka', config: { id: 'k', brokers: proxied, topic, client, envelope } });
      const p = await startPipeline({ sink, log: logOf(evs), pipeline: topic });
      await p.waitForCommit(5);
      await p.coordinator.stop();
      const got = await readTopic(direct, topic);
      expect(got.map((r) => r.headers['tidemark-event-id'])).toEqual(evs.map((e) => e.id));
      const e = evs[0]!;
      const source = { version: ENGINE_VERSION, connector: 'memory', name: 'generated', ts_ms: e.ts, db: 'gen', table: 'orders' };
      const expected = {
        native: { before: null, after: e.after, source, op: 'c', ts_ms: e.ts },
        debezium: { schema: null, payload: { before: null, after: e.after, source, op: 'c', ts_ms: e.ts } },
        cloudevents: {
          specversion: '1.0',
          id: e.id,
          source: 'tidemark/generated/gen.orders',
          type: 'com.acme.cdc.created',
          time: new Date(e.ts).toISOString(),
          datacontenttype: 'application/json',
          subject: 'gen.orders',
          data: { before: null, after: e.after, op: 'c' },
        },
      }[envelope.type];
      const first = json(got[0]!);
      expect(Object.keys(first)).toEqual(keys);
      expect(first).toEqual(expected);
      // Field order and bytes: JSON.stringify of the expected object keeps its key order.
      expect(got[0]!.value!.toString()).toBe(JSON.stringify(expected));
      if (envelope.type === 'native') expect(Object.keys(first.source as object)).toEqual(['version', 'connector', 'name', 'ts_ms', 'db', 'table']);
      expect(got[0]!.headers).toMatchObject({ 'tidemark-event-id': e.id, 'tidemark-idempotency-key': `${TENANT}|gen.orders|tx-0|0`, 'tidemark-op': 'c' });
    });
  }

  it('routes per table with a topic template; the default key is the serialised primary key', async () => {
    const base = `route-${client}`;
    await admin.createTopics({ waitForLeaders: true, topics: ['orders', 'items'].map((t) => ({ topic: `${base}.gen.${t}`, numPartitions: 3 })) });
    const sink = makeSink({ type: 'kafka', config: { id: 'k', brokers: proxied, topic: `${base}.\${source.db}.\${source.table}`, client } });
    const p = await startPipeline({ sink, log: logOf(events(60, { keys: 5 })), pipeline: base });
    await p.waitForCommit(59);
    await p.coordinator.stop();
    for (const table of ['orders', 'items']) {
      const got = await readTopic(direct, `${base}.gen.${table}`);
      expect(got).toHaveLength(30);
      expect(new Set(rowsOf(got).map((r) => r.table))).toEqual(new Set([`gen.${table}`]));
      for (const r of got) expect(r.key!.toString()).toBe(`{"id":${(json(r).after as { id: number }).id}}`);
      // One key, one partition: per-key order maps onto partition order.
      const partitionsPerKey = new Map<string, Set<number>>();
      for (const r of got) partitionsPerKey.set(r.key!.toString(), (partitionsPerKey.get(r.key!.toString()) ?? new Set()).add(r.partition));
      expect([...partitionsPerKey.values()].every((s) => s.size === 1)).toBe(true);
      expect(new Set(got.map((r) => r.partition)).size).toBeGreaterThan(1);
      assertOrderPerKey(rowsOf(got));
    }
  });

  it('uses the key template when one is set', async () => {
    const topic = `keytpl-${client}`;
    const sink = makeSink({ type: 'kafka', config: { id: 'k', brokers: proxied, topic, client, key: '${source.table}:${after.id}' } });
    const p = await startPipeline({ sink, log: logOf(events(10)), pipeline: topic });
    await p.waitForCommit(9);
    await p.coordinator.stop();
    const got = await readTopic(direct, topic);
    expect(got.map((r) => r.key!.toString())).toEqual(events(10).map((e) => `${e.source.table}:${(e.after as { id: number }).id}`));
  });
});

describe.each(CLIENTS)('kafka sink (%s): faults', (client) => {
  it('a second producer with the same transactional id fences the sink: the pipeline stops with TIDEMARK_ERR_SINK_FENCED', async () => {
    const pipeline = `fence-${client}`;
    const sink = makeSink({ type: 'kafka', config: { id: 'k', brokers: proxied, topic: pipeline, client, exactly_once: true } }, { pipeline });
    const p = await startPipeline({ sink, log: logOf(events(3_000)), pipeline, chunk: 10, chunkDelayMs: 20 });
    await p.waitForCommit(50);
    const intruder = new kafkajs.Kafka({ brokers: [direct], logLevel: kafkajs.logLevel.NOTHING }).producer({ transactionalId: `tidemark-${pipeline}-k`, idempotent: true, maxInFlightRequests: 1 });
    await intruder.connect();
  // kafkajs runs the transactional InitProducerId (the fencing) on the first transaction().
  await (await intruder.transaction()).abort();
    try {
      await p.waitForFailure(30_000);
      expect(p.coordinator.failure?.code).toBe('TIDEMARK_ERR_SINK_FENCED');
      expect(p.coordinator.failure?.message).toMatch(/same transactional.id/);
      expect(p.committed()).toBeLessThan(2_999);
    } finally {
      await intruder.disconnect();
    }
  }, 60_000);
});

describe('kafka sink: a row over message.max.bytes goes to the DLQ journal while its neighbours arrive', () => {
  const journal = (name: string) =>
    openDeadLetterJournal(
      dataDir,
      pipelineSpec.parse({
        apiVersion: 'tidemark/v1',
        kind: 'Pipeline',
        metadata: { name, tenant: TENANT },
        spec: { source: { type: 'mysql', config: { id: 'm', dsn: 'mysql://x@localhost/db', tables: ['db.t'] } }, sinks: [{ type: 'kafka', config: { id: 'k', brokers: proxied, topic: 'x' } }], journal: { enabled: true } },
      }),
    );

  it.each(CLIENTS)('a row over message.max.bytes (%s, at-least-once)', async (client) => {
    const name = `poison-size-${client}`;
    const evs = events(20).map((e, i) => (i === 9 ? { ...e, after: { ...e.after, blob: 'x'.repeat(5_000) } } : e));
    const dlq = journal(name);
    const sink = makeSink({ type: 'kafka', config: { id: 'k', brokers: proxied, topic: name, client, client_conf: { 'message.max.bytes': '4000' } } }, { dlqEnabled: true, pipeline: name });
    const p = await startPipeline({ sink, log: logOf(evs), dlq, pipeline: name });
    await p.waitForCommit(19);
    await p.coordinator.stop();
    expect(versions(await readTopic(direct, name))).toEqual(ascending(20).filter((i) => i !== 9));
    const entries = await dlq.peek({});
    expect(entries.map((x) => [x.event_id, x.meta.error_kind])).toEqual([[evs[9]!.id, 'too_large']]);
  });
});
