import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type ServiceName, type Topology } from '../../../chaos/src/infra/index.js';
import { ProcessLedger, alive } from '../../support/processes.js';
import { TEST_PROVIDER, leftovers, recordServers } from '../../support/provider.js';
import { kafkaClient, mysqlQuery, pgQuery, redisCall } from './clients.js';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsServers } from '../../../chaos/src/infra/index.js';

/**
 * kill() is a real SIGKILL; start() brings the same server back on the same port with its data.
 * Natively the server is a child process; with testcontainers, the container's main process.
 */
describe(`kill and start (${TEST_PROVIDER})`, () => {
  let topology: Topology;
  const ledger = new ProcessLedger();

  beforeAll(async () => {
    topology = await startTopology(['mysql', 'postgres', 'redis', 'nats', 'kafka'], { provider: TEST_PROVIDER });
    recordServers(ledger, topology);
  }, 180_000);
  afterAll(async () => {
    await topology?.down();
  }, 120_000);

  /** Kills the service, checks the old PID is really gone, starts it again, and returns the new PID. */
  async function killAndStart(name: ServiceName): Promise<{ before: number; after: number }> {
    const handle = topology.get(name);
    const before = handle.pid;
    if (before === undefined) throw new Error(`${name} has no pid`);
    await handle.kill();
    expect(alive(before)).toBe(false);
    expect(() => process.kill(before, 0)).toThrow(/ESRCH/);
    expect(handle.pid).toBeUndefined();
    expect(await handle.isUp()).toBe(false);
    await handle.start();
    const after = handle.pid as number;
    ledger.record(after);
    ledger.snapshot();
    expect(await handle.isUp()).toBe(true);
    return { before, after };
  }

  it('MariaDB survives SIGKILL with its committed rows', async () => {
    const mysql = topology.get('mysql').info();
    await mysqlQuery(mysql, 'direct', 'CREATE TABLE tidemark.k (id INT PRIMARY KEY)');
    await mysqlQuery(mysql, 'direct', 'INSERT INTO tidemark.k VALUES (1), (2), (3)');
    const { before, after } = await killAndStart('mysql');
    expect(after).not.toBe(before);
    expect(await mysqlQuery(mysql, 'proxy', 'SELECT COUNT(*) AS n FROM tidemark.k')).toEqual([{ n: 3 }]);
    expect(await topology.get('mysql').logs()).toMatch(/crash recovery|ready for connections/);
  }, 60_000);

  it('Postgres survives SIGKILL of the postmaster (restart waits for the reap, so no stale lock)', async () => {
    const postgres = topology.get('postgres').info();
    await pgQuery(postgres, 'direct', 'CREATE TABLE k (id INT PRIMARY KEY)');
    await pgQuery(postgres, 'direct', 'INSERT INTO k VALUES (1), (2)');
    await killAndStart('postgres');
    expect(await pgQuery(postgres, 'proxy', 'SELECT COUNT(*)::int AS n FROM k')).toEqual([{ n: 2 }]);
  }, 60_000);

  it('Redis survives SIGKILL with its append-only file', async () => {
    const redis = topology.get('redis').info();
    await redisCall(redis, 'direct', 'XADD', 'events', '*', 'k', 'v1');
    await redisCall(redis, 'direct', 'XADD', 'events', '*', 'k', 'v2');
    await killAndStart('redis');
    expect(await redisCall(redis, 'proxy', 'XLEN', 'events')).toBe(2);
  }, 60_000);

  it('NATS JetStream survives SIGKILL with its stream', async () => {
    const nats = topology.get('nats').info();
    const nc = await natsConnect({ servers: natsServers(nats, 'direct') });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'KILLED', subjects: ['killed.>'] });
    await jetstream(nc).publish('killed.one', 'payload');
    await nc.close();
    await killAndStart('nats');
    const again = await natsConnect({ servers: natsServers(nats, 'proxy') });
    const info = await (await jetstreamManager(again)).streams.info('KILLED');
    await again.close();
    expect(info.state.messages).toBe(1);
  }, 60_000);

  it('Kafka survives SIGKILL with its acknowledged records', async () => {
    const kafka = topology.get('kafka').info();
    const producer = kafkaClient(kafka, 'direct').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'killed', acks: -1, messages: [{ value: 'r1' }, { value: 'r2' }] });
    await producer.disconnect();
    await killAndStart('kafka');
    const admin = kafkaClient(kafka, 'proxy').admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('killed');
    await admin.disconnect();
    expect(offsets.map((o) => Number(o.high))).toEqual([2]);
  }, 120_000);

  it('stop() is graceful and start() is idempotent', async () => {
    const redis = topology.get('redis');
    const pid = redis.pid as number;
    await redis.stop();
    expect(alive(pid)).toBe(false);
    await redis.start();
    const restarted = redis.pid as number;
    ledger.record(restarted);
    await redis.start();
    expect(redis.pid).toBe(restarted);
    await redis.restart();
    ledger.record(redis.pid);
    expect(redis.pid).not.toBe(restarted);
    expect(await redisCall(redis.info(), 'proxy', 'XLEN', 'events')).toBe(2);
  }, 60_000);

  it('leaves nothing running after down()', async () => {
    recordServers(ledger, topology);
    await topology.down();
    expect(await leftovers(ledger, topology)).toEqual([]);
  }, 60_000);
});
