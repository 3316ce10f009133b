/**
 * An in-memory Kafka for the sink's pure logic: partitions are arrays, transactions buffer their
 * records until commit, and failures are scripted per operation. Real-broker behaviour is
 * covered by the *.int.test.ts files beside this one.
 */
import type { KafkaClientAdapter, ProducerAdapter, ReadRecord, TopicMessages, Watermarks } from '../../../../engine/src/sinks/kafka/adapter.js';
import { partitionForKey } from '../../../../engine/src/sinks/kafka/murmur2.js';

export type Operation = 'connect' | 'begin' | 'send' | 'commit' | 'abort' | 'read';

interface Stored extends ReadRecord {
  readonly topic: string;
  readonly partition: number;
  /** Aborted transactions leave their records in the log, invisible to read_committed. */
  committed: boolean;
}

export class FakeKafka implements KafkaClientAdapter {
  readonly name = 'kafkajs' as const;
  readonly log: Stored[] = [];
  readonly calls: string[] = [];
  readonly topics = new Map<string, number>();
  /** Next failures, by operation; `landed` commits first and then fails (a lost acknowledgement). */
  readonly failures: Array<{ op: Operation; error: unknown; landed?: boolean }> = [];
  producers = 0;

  fail(op: Operation, error: unknown, landed = false): void {
    this.failures.push({ op, error, landed });
  }

  take(op: Operation): { error: unknown; landed?: boolean } | undefined {
    const i = this.failures.findIndex((f) => f.op === op);
    return i < 0 ? undefined : this.failures.splice(i, 1)[0];
  }

  async connectProducer(): Promise<ProducerAdapter> {
    this.calls.push('connect');
    const f = this.take('connect');
    if (f) throw f.error;
    this.producers++;
    return new FakeProducer(this);
  }

  async partitionCount(topic: string): Promise<number | null> {
    return this.topics.get(topic) ?? null;
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    this.calls.push(`create ${topic}`);
    if (!this.topics.has(topic)) this.topics.set(topic, partitions);
  }

  async watermarks(topic: string, partition: number): Promise<Watermarks> {
    return { low: 0, high: this.log.filter((r) => r.topic === topic && r.partition === partition).length };
  }

  async readCommitted(topic: string, partition: number, from: number, to: number): Promise<ReadRecord[]> {
    this.calls.push(`read ${from}-${to}`);
    const f = this.take('read');
    if (f) throw f.error;
    return this.log.filter((r) => r.topic === topic && r.partition === partition && r.committed && r.offset >= from && r.offset < to);
  }

  async close(): Promise<void> {}

  committed(topic: string): Stored[] {
    return this.log.filter((r) => r.topic === topic && r.committed);
  }

  append(batches: readonly TopicMessages[], committed: boolean): Stored[] {
    const out: Stored[] = [];
    for (const { topic, messages } of batches) {
      const partitions = this.topics.get(topic) ?? 1;
      if (!this.topics.has(topic)) this.topics.set(topic, 1);
      for (const m of messages) {
        const partition = m.partition ?? (m.key ? partitionForKey(m.key, partitions) : 0);
        const offset = this.log.filter((r) => r.topic === topic && r.partition === partition).length;
        const record: Stored = { topic, partition, offset, key: m.key, value: m.value, committed };
        this.log.push(record);
        out.push(record);
      }
    }
    return out;
  }
}

class FakeProducer implements ProducerAdapter {
  private open: Stored[] | null = null;

  constructor(private readonly kafka: FakeKafka) {}

  async send(batches: readonly TopicMessages[]): Promise<void> {
    this.kafka.calls.push(`send ${batches.map((b) => `${b.topic}:${b.messages.length}`).join(',')}`);
    const f = this.kafka.take('send');
    if (f) throw f.error;
    const stored = this.kafka.append(batches, this.open === null);
    this.open?.push(...stored);
  }

  async beginTransaction(): Promise<void> {
    this.kafka.calls.push('begin');
    const f = this.kafka.take('begin');
    if (f) throw f.error;
    this.open = [];
  }

  async commitTransaction(): Promise<void> {
    this.kafka.calls.push('commit');
    const f = this.kafka.take('commit');
    if (f && !f.landed) throw f.error;
    for (const r of this.open ?? []) r.committed = true;
    this.open = null;
    if (f) throw f.error;
  }

  async abortTransaction(): Promise<void> {
    this.kafka.calls.push('abort');
    this.open = null;
  }

  async disconnect(): Promise<void> {
    this.kafka.calls.push('disconnect');
  }
}
