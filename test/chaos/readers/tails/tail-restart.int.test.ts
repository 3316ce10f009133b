import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, kafkaBrokers, redisOptions, startTopology, type ServiceInfo, type Topology } from '../../../../chaos/src/infra/index.js';
import { KafkaTail, RedisTail, type SinkTail } from '../../../../chaos/src/readers/index.js';
import type { SinkRecord } from '../../../../chaos/src/history/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../../../chaos/src/workload/schema.js';
import { deliverThroughEngine } from '../engine-pipeline.js';
import { comparable, expectedRecord, workloadEvents } from '../fixtures.js';

/**
 * The live judge's tails live for the whole run, and soaks kill the servers under them
 * (`kill-server` on Kafka or Redis). A 30-minute soak once lost every later check to one kill of
 * Kafka: the tail took the consumer's first crash (which kafkajs restarts from) as final. Each
 * server is the test's own, so killing it disturbs no other test.
 */
interface Target {
  /** How long the server stays down: the outage itself, not a wait for a result. */
  readonly outageMs: number;
  /** Whether the test also reads while the server is down (as the live judge's checks do): it must fail cleanly, not break the tail. */
  readonly readDuringOutage: boolean;
  sink(server: ServiceInfo, name: string): { type: 'kafka' | 'redis'; config: Record<string, unknown> };
  tail(server: ServiceInfo, name: string): SinkTail;
}

const TARGETS: Record<'kafka' | 'redis', Target> = {
  kafka: {
    // Long enough for the consumer's retries to run out (it crashes, kafkajs restarts it).
    outageMs: 12_000,
    // A read would wait out the tail's idle timeout on a dead broker.
    readDuringOutage: false,
    sink: (server, topic) => ({ type: 'kafka', config: { id: 'k', brokers: address(server, 'direct'), topic, client: 'kafkajs' } }),
    tail: (server, topic) => new KafkaTail({ brokers: kafkaBrokers(server, 'direct'), topics: [topic], isolation: 'read_uncommitted', transactional: false, primaryKeys: WORKLOAD_PRIMARY_KEYS, idleTimeoutMs: 60_000 }),
  },
  redis: {
    outageMs: 3_000,
    // ioredis fails a command after 3 reconnect attempts: the read in the outage rejects.
    readDuringOutage: true,
    sink: (server, prefix) => {
      const { host, port } = redisOptions(server, 'direct');
      // One stream, so the tail's order is the delivery order (as on the Kafka topic).
      return { type: 'redis', config: { id: 'r', uri: `redis://${host}:${port}`, stream: `${prefix}.all` } };
    },
    tail: (server, prefix) => new RedisTail({ ...redisOptions(server, 'direct'), pattern: `${prefix}.*`, primaryKeys: WORKLOAD_PRIMARY_KEYS }),
  },
};

let topology: Topology;

beforeAll(async () => {
  topology = await startTopology(['kafka', 'redis'], { provider: 'native' });
}, 120_000);

afterAll(async () => {
  await topology?.down();
});

describe.each(Object.keys(TARGETS) as Array<keyof typeof TARGETS>)('%s tail across a server kill', (kind) => {
  it('keeps reading after the server is SIGKILLed and started again: every record once, in order', async () => {
    const target = TARGETS[kind];
    const server = topology.get(kind);
    const name = `tail-restart-${randomUUID().slice(0, 8)}`;
    const events = workloadEvents(40, 21);
    const cut = events.findIndex((e, i) => i >= events.length / 2 && e.tx.end) + 1; // whole transactions on each side
    const [first, second] = [events.slice(0, cut), events.slice(cut)];
    await deliverThroughEngine(target.sink(server.info(), name), first, `tr-${name}-1`);
    const tail = target.tail(server.info(), name);
    const records: SinkRecord[] = [];
    const undecodable = (position: string, error: string) => expect.fail(`${position}: ${error}`);
    try {
      expect(await tail.read((r) => records.push(r), undecodable)).toBe(true);
      expect(records).toHaveLength(first.length);
      await server.kill();
      const outage = new Promise((resolve) => setTimeout(resolve, target.outageMs));
      if (target.readDuringOutage) await expect(tail.read((r) => records.push(r), undecodable)).rejects.toThrow();
      await outage;
      await server.start();
      await deliverThroughEngine(target.sink(server.info(), name), second, `tr-${name}-2`);
      expect(await tail.read((r) => records.push(r), undecodable)).toBe(true);
    } finally {
      await tail.close();
    }
    expect(records.map(comparable)).toEqual(events.map((e) => expectedRecord(e)));
  }, 180_000);
});
