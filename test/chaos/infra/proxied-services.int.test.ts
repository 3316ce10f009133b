import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type ServiceInfo, type Topology } from '../../../chaos/src/infra/index.js';
import { CONTAINER_PORTS } from '../../../chaos/src/infra/testcontainers/container-specs.js';
import { ProcessLedger } from '../../support/processes.js';
import { TEST_PROVIDER, leftovers, recordServers } from '../../support/provider.js';
import { elapsed, kafkaAdvertisedBrokers, kafkaClient, mysqlQuery, natsRoundTrip, pgQuery, redisCall } from './clients.js';

/** Every service answers through its Toxiproxy proxy, and the proxy really is in the path. */
describe(`services behind Toxiproxy (${TEST_PROVIDER})`, () => {
  let topology: Topology;
  const ledger = new ProcessLedger();
  const svc = (name: Parameters<Topology['get']>[0]): ServiceInfo => topology.get(name).info();

  beforeAll(async () => {
    topology = await startTopology(['mysql', 'postgres', 'kafka', 'redis', 'nats'], { provider: TEST_PROVIDER });
    recordServers(ledger, topology);
  }, 180_000);
  afterAll(async () => {
    await topology?.down();
  }, 120_000);

  const roundTrips: Record<'mysql' | 'postgres' | 'kafka' | 'redis' | 'nats', (via: 'proxy' | 'direct') => Promise<unknown>> = {
    mysql: async (via) => (await mysqlQuery(svc('mysql'), via, 'SELECT @@port AS port'))[0]?.port,
    postgres: async (via) => Number((await pgQuery(svc('postgres'), via, 'SHOW port'))[0]?.port),
    kafka: (via) => kafkaAdvertisedBrokers(svc('kafka'), via),
    redis: (via) => redisCall(svc('redis'), via, 'PING'),
    nats: (via) => natsRoundTrip(svc('nats'), via),
  };

  /** The port the server itself listens on: the direct port natively, the image's port in a container. */
  const serverPort = (name: 'mysql' | 'postgres'): number => (TEST_PROVIDER === 'native' ? svc(name).direct.port : CONTAINER_PORTS[name]);

  it('mysql answers through its proxy, and it is the server behind the direct port', async () => {
    expect(await roundTrips.mysql('proxy')).toBe(serverPort('mysql'));
    expect(await mysqlQuery(svc('mysql'), 'proxy', 'SELECT @@hostname AS h')).toEqual(await mysqlQuery(svc('mysql'), 'direct', 'SELECT @@hostname AS h'));
  });

  it('postgres answers through its proxy', async () => {
    expect(await roundTrips.postgres('proxy')).toBe(serverPort('postgres'));
  });

  it('redis answers through its proxy', async () => {
    expect(await roundTrips.redis('proxy')).toBe('PONG');
  });

  it('nats answers through its proxy', async () => {
    expect(await roundTrips.nats('proxy')).toBe('ping');
  });

  it('kafka advertises the proxy to proxied clients and its own port to direct ones', async () => {
    const kafka = svc('kafka');
    expect(await roundTrips.kafka('proxy')).toEqual([`${kafka.proxied.host}:${kafka.proxied.port}`]);
    expect(await roundTrips.kafka('direct')).toEqual([`${kafka.direct.host}:${kafka.direct.port}`]);
  });

  for (const name of ['mysql', 'postgres', 'kafka', 'redis', 'nats'] as const) {
    it(`${name}: proxy down makes a call fail, proxy up makes it work again; direct is unaffected`, async () => {
      await topology.toxiproxy.down(name);
      try {
        await expect(roundTrips[name]('proxy')).rejects.toThrow();
        await expect(roundTrips[name]('direct')).resolves.toBeDefined();
      } finally {
        await topology.toxiproxy.up(name);
      }
      await expect(roundTrips[name]('proxy')).resolves.toBeDefined();
    }, 30_000);
  }

  it('a latency toxic slows calls through the proxy, and removing it restores speed', async () => {
    const toxic = await topology.toxiproxy.latency('redis', 300);
    const slow = await elapsed(() => redisCall(svc('redis'), 'proxy', 'PING'));
    await topology.toxiproxy.removeToxic('redis', toxic);
    const fast = await elapsed(() => redisCall(svc('redis'), 'proxy', 'PING'));
    expect(slow.ms).toBeGreaterThanOrEqual(300);
    expect(fast.ms).toBeLessThan(300);
  });

  it('reset_peer on the upstream stream breaks calls; limit_data cuts a large reply', async () => {
    await topology.toxiproxy.resetPeer('mysql', 0, { stream: 'upstream' });
    await expect(mysqlQuery(svc('mysql'), 'proxy', 'SELECT 1')).rejects.toThrow();
    await topology.toxiproxy.clearToxics('mysql');
    await expect(mysqlQuery(svc('mysql'), 'proxy', 'SELECT 1')).resolves.toHaveLength(1);

    await topology.toxiproxy.limitData('mysql', 2000);
    await expect(mysqlQuery(svc('mysql'), 'proxy', 'SELECT REPEAT("x", 100000) AS big')).rejects.toThrow();
    await topology.toxiproxy.reset();
  });

  it('a timeout toxic with 0 holds data until removed', async () => {
    await topology.toxiproxy.timeout('redis', 0);
    const call = redisCall(svc('redis'), 'proxy', 'PING');
    const early = await Promise.race([call.then(() => 'answered', () => 'failed'), new Promise((r) => setTimeout(() => r('held'), 500))]);
    await topology.toxiproxy.reset();
    expect(early).toBe('held');
    await call.catch(() => undefined);
  });

  it('every toxic kind is accepted with its attributes, and reset removes them all', async () => {
    const t = topology.toxiproxy;
    await t.latency('postgres', 50, { jitterMs: 5, stream: 'upstream', toxicity: 0.5 });
    await t.bandwidth('postgres', 64);
    await t.slowClose('postgres', 100, { stream: 'upstream' });
    await t.timeout('nats', 1000);
    await t.resetPeer('nats', 200, { stream: 'upstream' });
    await t.slicer('kafka', 64, { sizeVariation: 16, delayUs: 10 });
    await t.limitData('redis', 1_000_000);
    const byName = Object.fromEntries((await t.proxies()).map((p) => [p.name, p.toxics]));
    expect(byName.postgres).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 50, jitter: 5 } }),
        expect.objectContaining({ type: 'bandwidth', stream: 'downstream', attributes: { rate: 64 } }),
        expect.objectContaining({ type: 'slow_close', attributes: { delay: 100 } }),
      ]),
    );
    expect(byName.nats?.map((x) => x.type).sort()).toEqual(['reset_peer', 'timeout']);
    expect(byName.kafka?.[0]).toMatchObject({ type: 'slicer', attributes: { average_size: 64, size_variation: 16, delay: 10 } });
    expect(byName.redis?.[0]).toMatchObject({ type: 'limit_data', attributes: { bytes: 1_000_000 } });
    await t.down('redis');
    await t.reset();
    const after = await t.proxies();
    expect(after.every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
  });

  it('names proxies after services and reports an unknown proxy helpfully', async () => {
    expect((await topology.toxiproxy.proxies()).map((p) => p.name).sort()).toEqual(['kafka', 'mysql', 'nats', 'postgres', 'redis']);
    await expect(topology.toxiproxy.down('mysql-b')).rejects.toThrow(/no Toxiproxy proxy "mysql-b".*start the topology with that service/);
  });

  it('a Kafka transactional producer commits through the proxy and a read_committed consumer sees only committed data', async () => {
    // The first transactional producer and consumer group on a fresh broker create
    // __transaction_state and __consumer_offsets on demand: allow for COORDINATOR_NOT_AVAILABLE.
    const kafka = kafkaClient(svc('kafka'), 'proxy', 'tx-test', 8);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'infra-tx', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ transactionalId: 'infra-tx-producer', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'infra-tx', messages: [{ key: 'a', value: 'committed-1' }, { key: 'b', value: 'committed-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'infra-tx', messages: [{ key: 'c', value: 'aborted' }] });
    await aborted.abort();
    const marker = await producer.transaction();
    await marker.send({ topic: 'infra-tx', messages: [{ key: 'z', value: 'last' }] });
    await marker.commit();
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'infra-tx-reader', readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: 'infra-tx', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumer saw only ${JSON.stringify(seen)}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
          if (message.value?.toString() === 'last') {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(seen).toEqual(['committed-1', 'committed-2', 'last']);
  }, 60_000);

  it('leaves nothing running after down()', async () => {
    recordServers(ledger, topology);
    expect(ledger.all.length).toBeGreaterThanOrEqual(6);
    await topology.down();
    expect(await leftovers(ledger, topology)).toEqual([]);
  }, 60_000);
});
