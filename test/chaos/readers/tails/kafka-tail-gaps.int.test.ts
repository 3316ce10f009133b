import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { address, kafkaBrokers, type ServiceInfo } from '../../../../chaos/src/infra/index.js';
import { KafkaTail } from '../../../../chaos/src/readers/index.js';
import type { SinkRecord } from '../../../../chaos/src/history/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../../../chaos/src/workload/schema.js';
import { sharedTopology } from '../../../support/infra.js';
import { deliverThroughEngine } from '../engine-pipeline.js';
import { workloadEvents } from '../fixtures.js';

/**
 * Offsets in a partition are contiguous unless Kafka transactions left commit markers between
 * them. The tail of a sink that writes no transactions therefore reports any gap as records it
 * never saw, instead of judging a history with a hole in it (a checker would then blame the
 * engine for what the reader missed). Here the topic really holds markers: an exactly-once sink
 * wrote it in several transactions.
 */
let kafka: ServiceInfo;

beforeAll(async () => {
  const info = await sharedTopology(['kafka']);
  kafka = info.services.find((s) => s.name === 'kafka')!;
});

async function readOnce(topic: string, transactional: boolean): Promise<{ records: SinkRecord[]; gaps: string[] }> {
  const tail = new KafkaTail({ brokers: kafkaBrokers(kafka, 'direct'), topics: [topic], isolation: 'read_committed', transactional, primaryKeys: WORKLOAD_PRIMARY_KEYS });
  const records: SinkRecord[] = [];
  const gaps: string[] = [];
  try {
    expect(await tail.read((r) => records.push(r), (position, error) => gaps.push(`${position}: ${error}`))).toBe(true);
  } finally {
    await tail.close();
  }
  return { records, gaps };
}

describe('Kafka tail offset gaps', () => {
  it('are transaction markers on a transactional sink, and records the reader skipped on any other', async () => {
    const topic = `tail-gaps-${randomUUID().slice(0, 8)}`;
    const events = workloadEvents(12, 5);
    // Batches of 5 events, each its own Kafka transaction: a commit marker after every batch.
    await deliverThroughEngine({ type: 'kafka', config: { id: 'k', brokers: address(kafka, 'direct'), topic, client: 'kafkajs', exactly_once: true } }, events, `tg-${topic}`, 5);

    const asTransactional = await readOnce(topic, true);
    expect(asTransactional.gaps).toEqual([]);
    expect(asTransactional.records).toHaveLength(events.length);
    // Markers split the records into sink transactions (at least one per batch of 5).
    expect(new Set(asTransactional.records.map((r) => r.sinkTxn)).size).toBeGreaterThanOrEqual(Math.ceil(events.length / 5));

    // Told the topic has no transactions, the tail must not take the same holes for nothing.
    const asPlain = await readOnce(topic, false);
    expect(asPlain.records).toHaveLength(events.length);
    expect(asPlain.gaps.length).toBe(new Set(asTransactional.records.map((r) => r.sinkTxn)).size - 1);
    expect(asPlain.gaps[0]).toMatch(/^tail-gaps-\w+-0@\d+: offsets \d+\.\.\d+ were never handed to the reader/);
  });
});
