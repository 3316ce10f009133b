import kafkajs, { type Admin, type Producer, type Transaction, type logCreator } from 'kafkajs';
import type { Logger } from '../../logging/logger.js';
import type { KafkaClientAdapter, OutgoingMessage, ProducerAdapter, ReadRecord, TopicMessages, Watermarks } from './adapter.js';
import { withTimeout } from './deadline.js';
import type { KafkajsOptions } from './kafkajs-options.js';
import { KafkajsPartitionReader } from './kafkajs-reader.js';

const { Kafka, Partitioners, CompressionTypes, logLevel } = kafkajs;

/** kafkajs logs every retried connection error at ERROR; the sink reports what matters itself. */
function logsTo(logger: Logger): logCreator {
  return () => ({ level, log }) => {
    const { message, ...extra } = log;
    if (level <= logLevel.WARN) logger.debug({ kafkajs: extra }, message);
    else logger.trace({ kafkajs: extra }, message);
  };
}

/** Bytes a record adds to a produce request, generously: headers are ~250 bytes. */
function approxBytes(m: OutgoingMessage): number {
  return m.value.length + (m.key?.length ?? 0) + 320;
}

/**
 * Cuts a batch into produce calls no larger than `maxBytes`/`maxMessages`, keeping order:
 * kafkajs writes each partition's share of a call as one record batch, which the broker
 * rejects above its message.max.bytes.
 */
export function chunkMessages(batches: readonly TopicMessages[], maxBytes: number, maxMessages: number): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let chunk = new Map<string, OutgoingMessage[]>();
  let bytes = 0;
  let count = 0;
  const flush = (): void => {
    if (count > 0) chunks.push([...chunk].map(([topic, messages]) => ({ topic, messages })));
    chunk = new Map();
    bytes = 0;
    count = 0;
  };
  for (const { topic, messages } of batches) {
    for (const m of messages) {
      const size = approxBytes(m);
      if (count > 0 && (bytes + size > maxBytes || count >= maxMessages)) flush();
      let list = chunk.get(topic);
      if (!list) chunk.set(topic, (list = []));
      list.push(m);
      bytes += size;
      count++;
    }
  }
  flush();
  return chunks;
}

class KafkajsProducer implements ProducerAdapter {
  private txn: Transaction | null = null;

  constructor(private readonly producer: Producer, private readonly settings: KafkajsOptions) {}

  async send(batches: readonly TopicMessages[]): Promise<void> {
    // One call at a time: kafkajs numbers idempotent sequences when it builds a request (#598).
    for (const chunk of chunkMessages(batches, this.settings.chunkBytes, this.settings.chunkMessages)) {
      const target = this.txn ?? this.producer;
      const call = target.sendBatch({
        topicMessages: chunk as Parameters<Producer['sendBatch']>[0]['topicMessages'],
        acks: this.settings.acks,
        timeout: this.settings.ackTimeoutMs,
        compression: this.settings.gzip ? CompressionTypes.GZIP : CompressionTypes.None,
      });
      await withTimeout(call, this.settings.sendTimeoutMs, 'kafkajs produce');
    }
  }

  async beginTransaction(): Promise<void> {
    this.txn = await withTimeout(this.producer.transaction(), this.settings.sendTimeoutMs, 'kafkajs begin transaction');
  }

  async commitTransaction(): Promise<void> {
    const txn = this.txn;
    this.txn = null;
    if (!txn) throw new Error('commit without a transaction');
    await withTimeout(txn.commit(), this.settings.sendTimeoutMs, 'kafkajs commit transaction');
  }

  async abortTransaction(): Promise<void> {
    const txn = this.txn;
    this.txn = null;
    if (txn) await withTimeout(txn.abort(), this.settings.sendTimeoutMs, 'kafkajs abort transaction');
  }

  async disconnect(): Promise<void> {
    await withTimeout(this.producer.disconnect(), 5_000, 'kafkajs disconnect').catch(() => {});
  }
}

export class KafkajsClient implements KafkaClientAdapter {
  readonly name = 'kafkajs' as const;
  private readonly kafka: InstanceType<typeof Kafka>;
  private readonly reader: KafkajsPartitionReader;
  private admin: Promise<Admin> | null = null;

  constructor(private readonly settings: KafkajsOptions, logger: Logger) {
    const logs = logsTo(logger);
    this.kafka = new Kafka({ ...settings.client, logLevel: logLevel.WARN, logCreator: logs });
    this.reader = new KafkajsPartitionReader(settings.client, logLevel.WARN, logs);
  }

  async connectProducer(): Promise<ProducerAdapter> {
    const producer = this.kafka.producer({ ...this.settings.producer, createPartitioner: Partitioners.DefaultPartitioner });
    try {
      await withTimeout(producer.connect(), this.settings.sendTimeoutMs, 'kafkajs producer connect');
      // kafkajs' connect() only asks for a non-transactional producer id; the transactional
      // InitProducerId (which fences older instances and ends their open transaction) runs on
      // the first transaction(). Run it now: an empty transaction ends without a broker request.
      if (this.settings.producer.transactionalId) {
        const txn = await withTimeout(producer.transaction(), this.settings.sendTimeoutMs, 'kafkajs init transactions');
        await txn.abort();
      }
    } catch (e) {
      producer.disconnect().catch(() => {});
      throw e;
    }
    return new KafkajsProducer(producer, this.settings);
  }

  partitionCount(topic: string): Promise<number | null> {
    return this.reader.partitionCount(topic);
  }

  async createTopic(topic: string, partitions: number, configs: Readonly<Record<string, string>>): Promise<void> {
    const admin = await this.connectAdmin();
    // Resolves false when the topic already exists (a racing creator).
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }] });
  }

  watermarks(topic: string, partition: number): Promise<Watermarks> {
    return this.reader.watermarks(topic, partition);
  }

  readCommitted(topic: string, partition: number, from: number, to: number, timeoutMs: number): Promise<ReadRecord[]> {
    return this.reader.readCommitted(topic, partition, from, to, timeoutMs);
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await Promise.allSettled([admin?.then((a) => a.disconnect()), this.reader.close()]);
  }

  private connectAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((e: unknown) => {
      this.admin = null;
      throw e;
    });
    return this.admin;
  }
}
