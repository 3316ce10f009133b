import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { SinkHistory } from '../../history/index.js';
import { readKafka } from '../kafka.js';
import { KafkaTail } from '../tails/kafka-tail.js';
import type { PayloadDecoding, SinkFeed, SinkIo } from '../reader.js';

/** The topics a run's Kafka sink writes (created by `prepare()`), and whether it writes transactions. */
export interface KafkaReadLayout {
  readonly exactlyOnce: boolean;
  readonly topics: readonly string[];
  readonly partitions: number;
  /** Topics with another partition count. */
  readonly partitionsOf?: Readonly<Record<string, number>>;
}

export class KafkaIo implements SinkIo {
  readonly kind = 'kafka';
  readonly exactlyOnce: boolean;
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;
  private tails: SinkFeed[] | null = null;

  constructor(readonly name: string, private readonly brokers: readonly string[], private readonly layout: KafkaReadLayout, private readonly decoding: PayloadDecoding = {}) {
    this.exactlyOnce = layout.exactlyOnce;
    this.admin = new Kafka({ clientId: 'tidemark-chaos-runner', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  }

  async prepare(): Promise<void> {
    await this.connect();
    const topics = this.layout.topics.map((topic) => ({ topic, numPartitions: this.layout.partitionsOf?.[topic] ?? this.layout.partitions, replicationFactor: 1 }));
    await this.admin.createTopics({ topics, waitForLeaders: true });
  }

  async count(): Promise<number> {
    await this.connect();
    let total = 0;
    for (const topic of this.layout.topics) {
      for (const p of await this.admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
    }
    return total;
  }

  read(): Promise<SinkHistory> {
    return this.readAs('read_committed');
  }

  async readAll(): Promise<SinkHistory[]> {
    return [await this.readAs('read_committed'), await this.readAs('read_uncommitted')];
  }

  feeds(primaryKeys: Readonly<Record<string, readonly string[]>>): SinkFeed[] {
    this.tails ??= (['read_committed', 'read_uncommitted'] as const).map((isolation) => ({
      meta: { sink: this.name, kind: 'kafka', exactlyOnce: this.exactlyOnce, isolation },
      tail: new KafkaTail({ brokers: this.brokers, topics: this.layout.topics, isolation, transactional: this.exactlyOnce, primaryKeys, ...this.decoding }),
    }));
    return this.tails;
  }

  async close(): Promise<void> {
    for (const f of this.tails ?? []) await f.tail.close().catch(() => undefined);
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
  }

  private readAs(isolation: 'read_committed' | 'read_uncommitted'): Promise<SinkHistory> {
    return readKafka({ brokers: this.brokers, topics: this.layout.topics, isolation, sink: this.name, exactlyOnce: this.exactlyOnce, ...this.decoding });
  }

  private connect(): Promise<void> {
    this.connected ??= this.admin.connect();
    return this.connected;
  }
}
