import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders, type KafkaMessage } from 'kafkajs';
import type { SinkHistory } from '../history/index.js';
import { RecordCollector, type ReaderOptions } from './decode/collector.js';
import { sinkTxnGroups } from './decode/kafka-groups.js';
import type { RawRecord } from './decode/record.js';
import { ConsumerCrashes } from './kafka-crashes.js';
import { PartitionProgress } from './kafka-progress.js';

export interface KafkaReadOptions extends ReaderOptions {
  /** The DIRECT listener (`kafkaBrokers(service, 'direct')`), so proxy faults do not touch the read. */
  readonly brokers: readonly string[];
  /** Topics to read; or every topic starting with `prefix` (topics starting with `__` only when the prefix does). */
  readonly topics?: readonly string[];
  readonly prefix?: string;
  readonly isolation: 'read_committed' | 'read_uncommitted';
  /** Give up when no partition moves for this long (default 5000 ms); the history is then `complete: false`. */
  readonly idleTimeoutMs?: number;
}

/**
 * Reads every partition of the topics from the beginning to the end: the high watermark under
 * read_uncommitted, the last stable offset under read_committed. Records keep their
 * partition order (`stream` = `topic-partition`, `seq` = offset) and get `sinkTxn` from the
 * offset gaps that transaction markers leave (see decode/kafka-groups.ts).
 */
export async function readKafka(options: KafkaReadOptions): Promise<SinkHistory> {
  const kafka = new Kafka({ clientId: 'tidemark-chaos-reader', brokers: [...options.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const collector = new RecordCollector(options);
  try {
    const topics = await resolveTopics(admin, options);
    const progress = new PartitionProgress(options.isolation === 'read_uncommitted');
    for (const topic of topics) {
      // kafkajs lists offsets read_committed: `high` is the last stable offset.
      for (const p of await admin.fetchTopicOffsets(topic)) progress.expect(topic, p.partition, Number(p.low), Number(p.high));
    }
    const found = new Map<string, Map<string, KafkaMessage>>();
    const complete = progress.pending().length === 0 || (await consume(kafka, admin, topics, options, progress, found));
    const raws: RawRecord[] = [];
    for (const [stream, byOffset] of found) {
      const messages = [...byOffset.values()].sort((a, b) => Number(a.offset) - Number(b.offset));
      const groups = sinkTxnGroups(messages.map((m) => Number(m.offset)));
      messages.forEach((m, i) => raws.push({ payload: m.value ?? '', meta: headerStrings(m.headers), stream, seq: Number(m.offset), position: `${stream}@${m.offset}`, sinkTxn: groups[i] as number }));
    }
    await collector.addAll(raws);
    collector.records.sort((a, b) => (a.stream === b.stream ? a.seq - b.seq : a.stream < b.stream ? -1 : 1));
    return collector.history('kafka', options, { isolation: options.isolation, complete });
  } finally {
    await admin.disconnect();
  }
}

async function resolveTopics(admin: Admin, options: KafkaReadOptions): Promise<string[]> {
  if (options.topics) return [...options.topics];
  const prefix = options.prefix;
  if (prefix === undefined) throw new Error('readKafka needs `topics` or `prefix`');
  return topicsWithPrefix(await admin.listTopics(), prefix);
}

/** Topics starting with `prefix`; internal ones (`__consumer_offsets`, the EOS checkpoint topic) only when the prefix asks for `__`. */
export function topicsWithPrefix(topics: readonly string[], prefix: string): string[] {
  return topics.filter((t) => t.startsWith(prefix) && (!t.startsWith('__') || prefix.startsWith('__'))).sort();
}

/** Runs a throwaway consumer group until every partition reached its target; false on idle timeout. */
async function consume(kafka: Kafka, admin: Admin, topics: string[], options: KafkaReadOptions, progress: PartitionProgress, found: Map<string, Map<string, KafkaMessage>>): Promise<boolean> {
  const groupId = `tidemark-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: options.isolation === 'read_uncommitted', maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
  let lastMove = Date.now();
  const crashes = new ConsumerCrashes();
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    progress.observe(payload.topic, payload.partition, Number(payload.lastOffset), Number(payload.highWatermark));
    lastMove = Date.now();
  });
  consumer.on(consumer.events.GROUP_JOIN, () => crashes.joined());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    // A restart is not idleness: the rejoined consumer gets a fresh idle window.
    if (crashes.crashed(payload)) lastMove = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        // Keyed by offset: should the client ever hand a batch over twice, it is still one record.
        const stream = `${batch.topic}-${batch.partition}`;
        const byOffset = found.get(stream) ?? new Map<string, KafkaMessage>();
        found.set(stream, byOffset);
        for (const m of batch.messages) byOffset.set(m.offset, m);
      },
    });
    const idleMs = options.idleTimeoutMs ?? 5000;
    lastMove = Date.now();
    for (;;) {
      if (crashes.final) throw new Error(`Kafka reader for ${topics.join(', ')} crashed: ${crashes.final.message}`);
      if (progress.pending().length === 0) return true;
      if (Date.now() - lastMove > idleMs) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

/** Kafka record headers as strings, names in lower case (the last value of a repeated header). */
export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const one = Array.isArray(value) ? value[value.length - 1] : value;
    if (one !== undefined) out[name.toLowerCase()] = one.toString();
  }
  return out;
}
