/** Reads back everything a Kafka topic holds, through the broker's DIRECT listener (faults never touch it). */
import kafkajs from 'kafkajs';
import type { FullRecord } from '../../../../engine/src/sinks/kafka/kafkajs-reader.js';
import { KafkajsPartitionReader } from '../../../../engine/src/sinks/kafka/kafkajs-reader.js';

export interface TopicRecord extends FullRecord {
  readonly partition: number;
}

const silent = () => () => {};

/** Every record of every partition, read_committed (aborted data hidden) or read_uncommitted. */
export async function readTopic(brokers: string, topic: string, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed', timeoutMs = 30_000): Promise<TopicRecord[]> {
  const reader = new KafkajsPartitionReader({ brokers: [brokers], connectionTimeout: 10_000 }, kafkajs.logLevel.NOTHING, silent);
  try {
    const partitions = await reader.partitionCount(topic);
    if (partitions === null) return [];
    const out: TopicRecord[] = [];
    for (let p = 0; p < partitions; p++) {
      const { low, high } = await reader.watermarks(topic, p);
      for (const r of await reader.read(topic, p, low, high, timeoutMs, isolation)) out.push({ ...r, partition: p });
    }
    return out;
  } finally {
    await reader.close();
  }
}

export function json(record: { value: Buffer | null }): Record<string, unknown> {
  return JSON.parse(record.value!.toString('utf8')) as Record<string, unknown>;
}
