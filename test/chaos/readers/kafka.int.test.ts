import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, kafkaBrokers, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { readKafka } from '../../../chaos/src/readers/index.js';
import { createEnvelope, eventHeaders, type ChangeEvent } from '../../../engine/src/event/index.js';
import { sharedTopology } from '../../support/infra.js';
import { deliverThroughEngine } from './engine-pipeline.js';
import { comparable, expectedRecord, TENANT, workloadEvents } from './fixtures.js';

let kafka: ServiceInfo;
let brokers: string[];
let client: Kafka;
const unique = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  const info = await sharedTopology(['kafka']);
  kafka = info.services.find((s) => s.name === 'kafka') as ServiceInfo;
  brokers = kafkaBrokers(kafka, 'direct');
  client = new Kafka({ brokers, logLevel: logLevel.NOTHING });
});

describe('readKafka over the engine Kafka sink', () => {
  it('reconstructs every record, with one sinkTxn group per exactly-once batch', async () => {
    const events = workloadEvents(40);
    const topic = `readers-eos-${unique()}`;
    await deliverThroughEngine({ type: 'kafka', config: { id: 'k', brokers: address(kafka, 'proxy'), topic, exactly_once: true, client: 'kafkajs' } }, events, `rk-${topic}`);
    for (const isolation of ['read_committed', 'read_uncommitted'] as const) {
      const history = await readKafka({ brokers, topics: [topic], isolation, sink: 'k', exactlyOnce: true });
      expect(history).toMatchObject({ sink: 'k', kind: 'kafka', exactlyOnce: true, isolation, complete: true });
      expect(history.undecodable).toBeUndefined();
      expect(history.records.map(comparable)).toEqual(events.map((e) => expectedRecord(e)));
      expect(history.records.map((r) => r.stream)).toEqual(events.map(() => `${topic}-0`));
      // Batches of at most 7 events, each its own Kafka transaction: groups rise by one at each commit marker.
      const groups = history.records.map((r) => r.sinkTxn as number);
      expect(groups[0]).toBe(0);
      groups.forEach((g, i) => i > 0 && expect(g - (groups[i - 1] as number)).toBeOneOf([0, 1]));
      const sizes = countBy(groups);
      expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(events.length / 7));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    }
  }, 90_000);

  it('puts a non-transactional topic in a single group (no markers, no gaps)', async () => {
    const events = workloadEvents(10, 2);
    const topic = `readers-alo-${unique()}`;
    await deliverThroughEngine({ type: 'kafka', config: { id: 'k', brokers: address(kafka, 'proxy'), topic, exactly_once: false, client: 'kafkajs' } }, events, `rk-${topic}`);
    const history = await readKafka({ brokers, topics: [topic], isolation: 'read_committed' });
    expect(history.records.map(comparable)).toEqual(events.map((e) => expectedRecord(e)));
    expect(new Set(history.records.map((r) => r.sinkTxn))).toEqual(new Set([0]));
    expect(history.records.map((r) => r.seq)).toEqual(events.map((_, i) => i));
  }, 60_000);
});

describe('readKafka and Kafka transactions (hand-made with a transactional producer)', () => {
  const topic = `readers-tx-${unique()}`;
  const events = workloadEvents(12, 3);
  let producer: Producer;
  const wrap = createEnvelope({ type: 'native' });
  const message = (e: ChangeEvent, partition: number) => ({ partition, key: e.source.table, value: JSON.stringify(wrap(e)), headers: eventHeaders(e, TENANT) });
  const inTxn = async (batch: ChangeEvent[], end: 'commit' | 'abort' | 'open', partition = 0) => {
    const txn = await producer.transaction();
    await txn.send({ topic, messages: batch.map((e) => message(e, partition)) });
    if (end === 'commit') await txn.commit();
    if (end === 'abort') await txn.abort();
    return txn;
  };
  const [a, aborted, b, open] = [events.slice(0, 3), events.slice(3, 5), events.slice(5, 8), events.slice(8, 9)] as ChangeEvent[][];

  beforeAll(async () => {
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    producer = client.producer({ transactionalId: `readers-${topic}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // Partition 0: commit A (offsets 0-2, marker 3), abort (4-5, marker 6), commit B (7-9, marker 10), then an open txn (11).
    await inTxn(a, 'commit');
    await inTxn(aborted, 'abort');
    await inTxn(b, 'commit');
    // Partition 1: one committed txn, so groups are counted per partition.
    await inTxn(events.slice(9, 12), 'commit', 1);
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('read_committed: two groups on partition 0, the aborted txn hidden, stops at the last stable offset', async () => {
    const txn = await inTxn(open, 'open');
    try {
      const history = await readKafka({ brokers, topics: [topic], isolation: 'read_committed', idleTimeoutMs: 3000 });
      expect(history.complete).toBe(true);
      const p0 = history.records.filter((r) => r.stream === `${topic}-0`);
      expect(p0.map((r) => r.seq)).toEqual([0, 1, 2, 7, 8, 9]);
      expect(p0.map((r) => r.sinkTxn)).toEqual([0, 0, 0, 1, 1, 1]);
      expect(p0.map(comparable)).toEqual([...a, ...b].map((e) => expectedRecord(e)));
      const p1 = history.records.filter((r) => r.stream === `${topic}-1`);
      expect(p1.map((r) => [r.seq, r.sinkTxn])).toEqual([[0, 0], [1, 0], [2, 0]]);

      const dirty = await readKafka({ brokers, topics: [topic], isolation: 'read_uncommitted', idleTimeoutMs: 3000 });
      expect(dirty.complete).toBe(true);
      const d0 = dirty.records.filter((r) => r.stream === `${topic}-0`);
      expect(d0.map((r) => r.seq)).toEqual([0, 1, 2, 4, 5, 7, 8, 9, 11]);
      expect(d0.map((r) => r.sinkTxn)).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 3]);
      expect(d0.map(comparable)).toEqual([...a, ...aborted, ...b, ...open].map((e) => expectedRecord(e)));
    } finally {
      await txn.abort();
    }
  }, 60_000);

  it('reads every partition of every topic with a prefix', async () => {
    const history = await readKafka({ brokers, prefix: topic, isolation: 'read_committed' });
    expect(new Set(history.records.map((r) => r.stream))).toEqual(new Set([`${topic}-0`, `${topic}-1`]));
    expect(history.records).toHaveLength(9);
  }, 60_000);
});

function countBy(groups: number[]): number[] {
  const sizes: number[] = [];
  for (const g of groups) sizes[g] = (sizes[g] ?? 0) + 1;
  return sizes;
}
