import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaConfig, logCreator } from 'kafkajs';
import type { ReadRecord, Watermarks } from './adapter.js';
import { KafkaTimeoutError } from './deadline.js';

/**
 * Reads one partition with isolation read_committed through kafkajs' own Cluster/Broker/Batch
 * modules. kafkajs' public consumer has no manual assignment (only group subscription, which
 * costs a group join per read) and its admin lists offsets read_committed only, while the
 * checkpoint reader needs the true high watermark. kafkajs is frozen at 2.2.4 (no release
 * since 2023), so these internals will not move under us; the narrow types below are all we use.
 */
const require = createRequire(import.meta.url);

interface RawMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | Buffer[] | undefined>;
  readonly isControlRecord?: boolean;
}

/** A record as read back, with headers (for readers that check them, e.g. tests and the chaos harness). */
export interface FullRecord extends ReadRecord {
  readonly headers: Readonly<Record<string, string>>;
}
interface FetchPartition {
  readonly partition: number;
  readonly highWatermark: string;
  readonly abortedTransactions: unknown[];
  readonly messages: RawMessage[];
}
interface FetchResponse {
  readonly responses: ReadonlyArray<{ readonly topicName: string; readonly partitions: readonly FetchPartition[] }>;
}
interface ListOffsetsResponse {
  readonly responses: ReadonlyArray<{ readonly partitions: ReadonlyArray<{ readonly partition: number; readonly offset: string }> }>;
}
interface InternalBroker {
  fetch(request: { isolationLevel: number; maxWaitTime: number; minBytes: number; maxBytes: number; topics: unknown[] }): Promise<FetchResponse>;
  listOffsets(request: { isolationLevel: number; topics: unknown[] }): Promise<ListOffsetsResponse>;
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): ReadonlyArray<{ readonly partitionId: number; readonly leader: number }>;
  findBroker(query: { nodeId: number }): Promise<InternalBroker>;
}
interface InternalBatch {
  readonly messages: readonly RawMessage[];
}
type ClusterCtor = new (options: Record<string, unknown>) => InternalCluster;
type BatchCtor = new (topic: string, fetchedOffset: string, partitionData: FetchPartition) => InternalBatch;

const Cluster = require('kafkajs/src/cluster') as ClusterCtor;
const Batch = require('kafkajs/src/consumer/batch') as BatchCtor;
const { createLogger } = require('kafkajs/src/loggers') as { createLogger(o: { level: number; logCreator: logCreator }): unknown };
const socketFactory = require('kafkajs/src/network/socketFactory') as () => unknown;

const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
const LATEST = -1;
const EARLIEST = -2;

export class KafkajsPartitionReader {
  private readonly cluster: InternalCluster;
  private connected: Promise<void> | null = null;

  constructor(client: KafkaConfig, level: number, logs: logCreator) {
    this.cluster = new Cluster({
      ...client,
      logger: createLogger({ level, logCreator: logs }),
      socketFactory: socketFactory(),
      allowAutoTopicCreation: false,
      isolationLevel: READ_COMMITTED,
      offsets: new Map(),
    });
  }

  /** Partition count, or null when the topic does not exist. */
  async partitionCount(topic: string): Promise<number | null> {
    await this.connect();
    try {
      await this.cluster.addTargetTopic(topic);
      await this.cluster.refreshMetadata();
    } catch (e) {
      if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return null;
      throw e;
    }
    const partitions = this.cluster.findTopicPartitionMetadata(topic);
    return partitions.length > 0 ? partitions.length : null;
  }

  async watermarks(topic: string, partition: number): Promise<Watermarks> {
    const broker = await this.leader(topic, partition);
    const at = async (timestamp: number): Promise<number> => {
      const res = await broker.listOffsets({ isolationLevel: READ_UNCOMMITTED, topics: [{ topic, partitions: [{ partition, timestamp }] }] });
      return Number(res.responses[0]!.partitions[0]!.offset);
    };
    return { low: await at(EARLIEST), high: await at(LATEST) };
  }

  readCommitted(topic: string, partition: number, from: number, to: number, timeoutMs: number): Promise<FullRecord[]> {
    return this.read(topic, partition, from, to, timeoutMs, 'read_committed');
  }

  /** Records with offsets in [from, to), without control records (and without aborted ones when read_committed). */
  async read(topic: string, partition: number, from: number, to: number, timeoutMs: number, isolation: 'read_committed' | 'read_uncommitted'): Promise<FullRecord[]> {
    const records: FullRecord[] = [];
    const deadline = Date.now() + timeoutMs;
    let next = from;
    while (next < to) {
      if (Date.now() > deadline) throw new KafkaTimeoutError(`reading ${topic}[${partition}] ${isolation} up to offset ${to} (stopped at ${next}; a transaction may be open)`, timeoutMs);
      let res: FetchResponse;
      try {
        res = await this.fetch(topic, partition, next, isolation);
      } catch (e) {
        // A new topic's leader, or a leader election: refresh metadata and try again until the deadline.
        if (!(e as { retriable?: boolean }).retriable) throw e;
        await this.cluster.refreshMetadata().catch(() => {});
        await sleep(100);
        continue;
      }
      const data = res.responses.find((r) => r.topicName === topic)?.partitions.find((p) => p.partition === partition);
      if (!data || data.messages.length === 0) continue; // nothing committed past `next` yet: the broker waited maxWaitTime
      // Batch drops aborted records (abortedTransactions) and control records, as the consumer does.
      for (const m of new Batch(topic, String(next), data).messages) {
        const offset = Number(m.offset);
        if (offset >= from && offset < to) records.push({ offset, key: m.key, value: m.value, headers: headerStrings(m.headers) });
      }
      const last = Number(data.messages[data.messages.length - 1]!.offset);
      next = Math.max(next, last + 1);
    }
    return records;
  }

  private async fetch(topic: string, partition: number, offset: number, isolation: 'read_committed' | 'read_uncommitted'): Promise<FetchResponse> {
    const broker = await this.leader(topic, partition);
    return broker.fetch({
      isolationLevel: isolation === 'read_committed' ? READ_COMMITTED : READ_UNCOMMITTED,
      maxWaitTime: 200,
      minBytes: 1,
      maxBytes: 8 << 20,
      topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: 4 << 20 }] }],
    });
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = null;
    await this.cluster.disconnect().catch(() => {});
  }

  private connect(): Promise<void> {
    this.connected ??= this.cluster.connect().catch((e: unknown) => {
      this.connected = null;
      throw e;
    });
    return this.connected;
  }

  private async leader(topic: string, partition: number): Promise<InternalBroker> {
    await this.connect();
    await this.cluster.addTargetTopic(topic);
    const meta = this.cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
    if (!meta) throw new Error(`partition ${partition} of ${topic} has no metadata (does the topic exist?)`);
    return this.cluster.findBroker({ nodeId: meta.leader });
  }
}

function headerStrings(headers: RawMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString('utf8');
  }
  return out;
}
