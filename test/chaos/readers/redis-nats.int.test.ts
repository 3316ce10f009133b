import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { natsServers, redisOptions, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { readNats, readRedis } from '../../../chaos/src/readers/index.js';
import { sharedTopology } from '../../support/infra.js';
import { deliverThroughEngine } from './engine-pipeline.js';
import { comparable, expectedRecord, workloadEvents } from './fixtures.js';

const unique = () => randomUUID().slice(0, 8);

describe('readRedis over the engine Redis sink', () => {
  let redis: ServiceInfo;
  beforeAll(async () => {
    redis = (await sharedTopology(['redis'])).services.find((s) => s.name === 'redis') as ServiceInfo;
  });

  it('reads every matching stream in entry order and decodes the debezium envelope and entry fields', async () => {
    const prefix = `rr-${unique()}`;
    const events = workloadEvents(30, 4);
    const proxied = redisOptions(redis, 'proxy');
    // One stream per table, exactly-once: the sink also writes a checkpoint hash next to the streams.
    const stream = `${prefix}.\${source.table}`;
    await deliverThroughEngine({ type: 'redis', config: { id: 'r', uri: `redis://${proxied.host}:${proxied.port}`, stream, envelope: 'debezium', exactly_once: true } }, events, `rr-${prefix}`);
    const direct = new Redis(redisOptions(redis, 'direct'));
    await direct.set(`${prefix}.not-a-stream`, 'x');
    direct.disconnect();

    const history = await readRedis({ ...redisOptions(redis, 'direct'), pattern: `${prefix}.*`, sink: 'r', exactlyOnce: true });
    expect(history).toMatchObject({ sink: 'r', kind: 'redis', exactlyOnce: true });
    expect(history.undecodable).toBeUndefined();
    const tables = [...new Set(events.map((e) => e.source.table))].sort();
    expect([...new Set(history.records.map((r) => r.stream))].sort()).toEqual(tables.map((t) => `${prefix}.${t}`));
    for (const table of tables) {
      const got = history.records.filter((r) => r.stream === `${prefix}.${table}`);
      expect(got.map(comparable)).toEqual(events.filter((e) => e.source.table === table).map((e) => expectedRecord(e)));
      expect(got.map((r) => r.seq)).toEqual(got.map((_, i) => i));
      expect(got.every((r) => /@\d+-\d+$/.test(r.position) && r.sinkTxn === null)).toBe(true);
    }
  }, 60_000);

  it('reads across XRANGE chunks', async () => {
    const prefix = `rc-${unique()}`;
    const events = workloadEvents(15, 5);
    const proxied = redisOptions(redis, 'proxy');
    await deliverThroughEngine({ type: 'redis', config: { id: 'r', uri: `redis://${proxied.host}:${proxied.port}`, stream: `${prefix}.all` } }, events, `rc-${prefix}`);
    const history = await readRedis({ ...redisOptions(redis, 'direct'), pattern: `${prefix}.*`, chunk: 4 });
    expect(history.records.map(comparable)).toEqual(events.map((e) => expectedRecord(e)));
  }, 60_000);
});

describe('readNats over the engine NATS sink', () => {
  let nats: ServiceInfo;
  beforeAll(async () => {
    nats = (await sharedTopology(['nats'])).services.find((s) => s.name === 'nats') as ServiceInfo;
  });

  it('reads the JetStream stream from first to last sequence and decodes cloudevents and headers', async () => {
    const name = `RN_${unique()}`;
    const events = workloadEvents(30, 6);
    await deliverThroughEngine(
      { type: 'nats', config: { id: 'n', url: `nats://${natsServers(nats, 'proxy')}`, subject: `${name}.\${source.table}`, stream: name, create_stream: true, envelope: { type: 'cloudevents', type_prefix: 'com.acme.cdc' } } },
      events,
      `rn-${name}`,
    );
    const history = await readNats({ servers: natsServers(nats, 'direct'), stream: name, sink: 'n' });
    expect(history).toMatchObject({ sink: 'n', kind: 'nats', complete: true });
    expect(history.undecodable).toBeUndefined();
    expect(history.records.map(comparable)).toEqual(events.map((e) => expectedRecord(e)));
    expect(history.records.map((r) => r.seq)).toEqual(events.map((_, i) => i + 1));
    expect(history.records[0]?.position).toBe(`${name}@1 ${name}.${events[0]?.source.table}`);
  }, 60_000);

  it('reads an empty stream as complete with no records', async () => {
    const name = `RE_${unique()}`;
    const nc = await connect({ servers: natsServers(nats, 'direct') });
    await (await jetstreamManager(nc)).streams.add({ name, subjects: [`${name}.>`] });
    await nc.close();
    expect(await readNats({ servers: natsServers(nats, 'direct'), stream: name })).toMatchObject({ records: [], complete: true });
  }, 30_000);
});
