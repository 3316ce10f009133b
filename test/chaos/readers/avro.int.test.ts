import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, kafkaBrokers, natsServers, redisOptions, registryUrl, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { HttpTail, KafkaTail, NatsTail, readHttp, readKafka, readNats, readRedis, RedisTail, startHttpReceiver, type HttpReceiver, type SinkTail } from '../../../chaos/src/readers/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../../chaos/src/workload/schema.js';
import type { SinkHistory, SinkRecord } from '../../../chaos/src/history/index.js';
import { sharedTopology } from '../../support/infra.js';
import { deliverThroughEngine } from './engine-pipeline.js';
import { comparable, expectedRecord, workloadEvents } from './fixtures.js';

/**
 * Every reader decodes what the engine's real sinks write with `encoding: avro` (Confluent wire
 * format, schemas in the real registry) into the same records the JSON encoding gives, so the
 * checkers judge Avro sinks exactly like JSON ones.
 */
const unique = () => randomUUID().slice(0, 8);
let services: Map<string, ServiceInfo>;
let receiver: HttpReceiver;

beforeAll(async () => {
  const info = await sharedTopology(['kafka', 'redis', 'nats', 'schema-registry']);
  services = new Map(info.services.map((s) => [s.name, s]));
  receiver = await startHttpReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

const service = (name: string) => services.get(name)!;
const encoding = () => ({ type: 'avro', schema_registry_url: registryUrl(service('schema-registry')), subject_strategy: 'topic_record_name' });
const registry = () => registryUrl(service('schema-registry'), 'direct');

/** Per table, in stream order: what the reader decoded equals what went in. */
function expectDecoded(history: SinkHistory, events: ReturnType<typeof workloadEvents>, streamOf: (table: string) => string): void {
  expect(history.undecodable).toBeUndefined();
  for (const table of new Set(events.map((e) => e.source.table))) {
    const got = history.records.filter((r) => r.table === table);
    expect(got.every((r) => r.stream === streamOf(table))).toBe(true);
    expect(got.map(comparable)).toEqual(events.filter((e) => e.source.table === table).map((e) => expectedRecord(e)));
  }
  expect(history.records).toHaveLength(events.length);
}

/** One read of a tail (what the live judge does each round), as a history. */
async function readTail(tail: SinkTail, sink: SinkHistory['kind']): Promise<SinkHistory> {
  const records: SinkRecord[] = [];
  const undecodable: { position: string; error: string }[] = [];
  try {
    await tail.read((r) => records.push(r), (position, error) => undecodable.push({ position, error }));
  } finally {
    await tail.close();
  }
  return { sink, kind: sink, exactlyOnce: false, records, ...(undecodable.length > 0 ? { undecodable } : {}) };
}

const primaryKeys = WORKLOAD_PRIMARY_KEYS;

describe('readers decode Avro through the registry', () => {
  it('Kafka', async () => {
    const events = workloadEvents(20, 11);
    const topic = `ra-${unique()}`;
    await deliverThroughEngine({ type: 'kafka', config: { id: 'k', brokers: address(service('kafka'), 'proxy'), topic, client: 'kafkajs', encoding: encoding() } }, events, `ra-${topic}`);
    const history = await readKafka({ brokers: kafkaBrokers(service('kafka'), 'direct'), topics: [topic], isolation: 'read_committed', registryUrl: registry() });
    // One topic, one partition: the stream is the partition.
    expectDecoded(history, events, () => `${topic}-0`);
    // Without the registry the same messages are not envelopes: nothing is taken for JSON.
    const blind = await readKafka({ brokers: kafkaBrokers(service('kafka'), 'direct'), topics: [topic], isolation: 'read_committed' });
    expect(blind.records).toEqual([]);
    expect(blind.undecodable).toHaveLength(events.length);
    // The runner's tail (the live judge's reader) decodes the same way, and without the registry takes nothing for JSON either.
    const tailed = await readTail(new KafkaTail({ brokers: kafkaBrokers(service('kafka'), 'direct'), topics: [topic], isolation: 'read_committed', transactional: false, primaryKeys, registryUrl: registry() }), 'kafka');
    expectDecoded(tailed, events, () => `${topic}-0`);
    const blindTail = await readTail(new KafkaTail({ brokers: kafkaBrokers(service('kafka'), 'direct'), topics: [topic], isolation: 'read_committed', transactional: false, primaryKeys }), 'kafka');
    expect(blindTail.records).toEqual([]);
    expect(blindTail.undecodable).toHaveLength(events.length);
  }, 60_000);

  it('Redis (binary stream fields)', async () => {
    const prefix = `ra-${unique()}`;
    const proxied = redisOptions(service('redis'), 'proxy');
    const events = workloadEvents(20, 12);
    await deliverThroughEngine({ type: 'redis', config: { id: 'r', uri: `redis://${proxied.host}:${proxied.port}`, stream: `${prefix}.\${source.table}`, encoding: encoding() } }, events, `ra-${prefix}`);
    const history = await readRedis({ ...redisOptions(service('redis'), 'direct'), pattern: `${prefix}.*`, registryUrl: registry() });
    expectDecoded(history, events, (t) => `${prefix}.${t}`);
    // The tail reads the stream fields as bytes when it decodes Avro.
    const tailed = await readTail(new RedisTail({ ...redisOptions(service('redis'), 'direct'), pattern: `${prefix}.*`, primaryKeys, registryUrl: registry() }), 'redis');
    expectDecoded(tailed, events, (t) => `${prefix}.${t}`);
  }, 60_000);

  it('NATS', async () => {
    const name = `RA_${unique()}`;
    const events = workloadEvents(20, 13);
    await deliverThroughEngine({ type: 'nats', config: { id: 'n', url: `nats://${natsServers(service('nats'), 'proxy')}`, subject: `${name}.\${source.table}`, stream: name, create_stream: true, encoding: encoding() } }, events, `ra-${name}`);
    const history = await readNats({ servers: natsServers(service('nats'), 'direct'), stream: name, registryUrl: registry() });
    expectDecoded(history, events, () => name);
    const tailed = await readTail(new NatsTail({ servers: natsServers(service('nats'), 'direct'), stream: name, primaryKeys, registryUrl: registry() }), 'nats');
    expectDecoded(tailed, events, () => name);
  }, 60_000);

  it('HTTP (application/avro bodies)', async () => {
    const path = `/ra-${unique()}`;
    const events = workloadEvents(20, 14);
    await deliverThroughEngine({ type: 'http', config: { id: 'h', url: `${receiver.url}${path}/\${source.table}`, encoding: encoding() } }, events, `ra-${path.slice(1)}`);
    const mine = receiver.requests().filter((r) => r.url.startsWith(`${path}/`));
    expect(mine.every((r) => r.headers['content-type'] === 'application/avro')).toBe(true);
    const history = await readHttp(mine, { registryUrl: registry() });
    // Up to 16 requests at once (one lane per key): compare in one order.
    expect(history.undecodable).toBeUndefined();
    const id = (r: Partial<SinkRecord>) => `${r.table}|${r.key}|${r.version}|${r.op}`;
    const sort = (xs: Array<Partial<SinkRecord>>) => [...xs].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
    expect(sort(history.records.map(comparable))).toEqual(sort(events.map((e) => expectedRecord(e))));
    // The tail takes the bodies as bytes from the receiver's log (then releases them).
    const tailed = await readTail(new HttpTail({ receiver, pathPrefix: `${path}/`, primaryKeys, registryUrl: registry() }), 'http');
    expect(tailed.undecodable).toBeUndefined();
    expect(sort(tailed.records.map(comparable))).toEqual(sort(events.map((e) => expectedRecord(e))));
  }, 60_000);
});
