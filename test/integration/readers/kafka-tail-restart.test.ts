import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, kafkaBrokers, startTopology, type Topology } from '../../../chaos/src/infra/index.js';
import { KafkaTail } from '../../../chaos/src/readers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../../chaos/src/workload/schema.js';
import { deliverThroughEngine } from './engine-pipeline.js';
import { comparable, expectedRecord, workloadEvents } from './fixtures.js';

/**
 * The live judge's Kafka tail lives for the whole run, and soaks kill the broker under it. A
 * 30-minute soak once lost every later check to one `kill-server` on Kafka: the tail took the
 * consumer's first crash (which kafkajs restarts from) as final. Its own broker, so killing it
 * disturbs no other test.
 */
let topology: Topology;

beforeAll(async () => {
  topology = await startTopology(['kafka'], { provider: 'native' });
}, 120_000);

afterAll(async () => {
  await topology?.down();
});

describe('Kafka tail across a broker kill', () => {
  it('keeps reading after the broker is SIGKILLed and started again: every record once, in order', async () => {
    const kafka = topology.get('kafka');
    const topic = `tail-restart-${randomUUID().slice(0, 8)}`;
    const events = workloadEvents(40, 21);
    const cut = events.findIndex((e, i) => i >= events.length / 2 && e.tx.end) + 1; // whole transactions on each side
    const [first, second] = [events.slice(0, cut), events.slice(cut)];
    await deliverThroughEngine({ type: 'kafka', config: { id: 'k', brokers: address(kafka.info(), 'direct'), topic, client: 'kafkajs' } }, first, `tr-${topic}-1`);
    const tail = new KafkaTail({ brokers: kafkaBrokers(kafka.info(), 'direct'), topics: [topic], isolation: 'read_uncommitted', primaryKeys: WORKLOAD_PRIMARY_KEYS, idleTimeoutMs: 60_000 });
    const records: SinkRecord[] = [];
    const undecodable = (position: string, error: string) => expect.fail(`${position}: ${error}`);
    try {
      expect(await tail.read((r) => records.push(r), undecodable)).toBe(true);
      expect(records).toHaveLength(first.length);
      // Down long enough for the consumer's retries to run out (it crashes, kafkajs restarts it).
      await kafka.kill();
      await new Promise((resolve) => setTimeout(resolve, 12_000)); // the outage itself, not a wait for a result
      await kafka.start();
      await deliverThroughEngine({ type: 'kafka', config: { id: 'k', brokers: address(kafka.info(), 'direct'), topic, client: 'kafkajs' } }, second, `tr-${topic}-2`);
      expect(await tail.read((r) => records.push(r), undecodable)).toBe(true);
    } finally {
      await tail.close();
    }
    expect(records.map(comparable)).toEqual(events.map((e) => expectedRecord(e)));
  }, 180_000);
});
