import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaMessage } from 'kafkajs';
import type { SinkRecord } from '../../history/index.js';
import { AvroFrames } from '../decode/avro-frames.js';
import { decodeRecord } from '../decode/record.js';
import { ConsumerCrashes } from '../kafka-crashes.js';
import { headerStrings } from '../kafka.js';
import type { SinkTail, TailOptions } from './tail.js';

export interface KafkaTailOptions extends TailOptions {
  /** The DIRECT listener, so proxy faults do not touch the read. */
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly isolation: 'read_committed' | 'read_uncommitted';
  /** Give up a read when no partition moves for this long (default 5000 ms). */
  readonly idleTimeoutMs?: number;
  /**
   * Whether the sink writes Kafka transactions (exactly_once). Only their commit/abort markers
   * leave offset gaps; in a topic without them a gap means records the reader never saw.
   */
  readonly transactional: boolean;
}

/** Fetched messages a partition may hold before the consumer waits for a read to drain them. */
const QUEUE_LIMIT = 20_000;

interface Partition {
  /** Messages fetched and not yet read, in offset order. */
  queue: KafkaMessage[];
  /** The offset after the last one fetched (markers and aborted records included). */
  position: number;
  /** Where the current read must get to. */
  target: number;
  /** Offset of the last record handed out and its Kafka transaction index (from offset gaps). */
  lastOffset: number;
  group: number;
}

/**
 * One consumer group for the whole run, started on the first read: it fetches in the
 * background (pausing when a partition's queue is full) and each `read` hands out what was
 * fetched up to the end the topics had when the read began: the high watermark under
 * read_uncommitted, the last stable offset under read_committed. `sinkTxn` comes from the
 * offset gaps that markers leave, carried across reads (docs/workload.md, "Kafka transactions").
 */
export class KafkaTail implements SinkTail {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private consumer: Consumer | null = null;
  private readonly groupId = `tidemark-tail-${randomUUID()}`;
  private readonly parts = new Map<string, Partition>();
  private readonly crashes = new ConsumerCrashes();
  private lastMove = Date.now();
  private started: Promise<void> | null = null;
  private readonly frames: AvroFrames | null;

  constructor(private readonly options: KafkaTailOptions) {
    this.kafka = new Kafka({ clientId: 'tidemark-chaos-tail', brokers: [...options.brokers], logLevel: logLevel.NOTHING });
    this.admin = this.kafka.admin();
    this.frames = options.registryUrl ? new AvroFrames(options.registryUrl) : null;
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    await (this.started ??= this.start());
    for (const topic of this.options.topics) {
      // kafkajs lists offsets read_committed: `high` is the last stable offset.
      for (const p of await this.admin.fetchTopicOffsets(topic)) this.partition(topic, p.partition, Number(p.low)).target = Number(p.high);
    }
    for (;;) {
      const state = await this.awaitTargets();
      await this.drain(visit, undecodable);
      if (state !== 'full') return state === 'done';
    }
  }

  /** Hands out what the queues hold now (fetching goes on meanwhile: later messages wait for the next drain). */
  private async drain(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<void> {
    const taken = [...this.parts].map(([stream, part]) => ({ stream, part, n: part.queue.length }));
    // Schemas first: a registry that does not answer fails the read before a message is taken.
    if (this.frames) await this.frames.prepare(taken.flatMap(({ part, n }) => part.queue.slice(0, n).map((m) => m.value ?? '')));
    for (const { stream, part, n } of taken) {
      const queue = part.queue.splice(0, n);
      for (const m of queue) {
        const offset = Number(m.offset);
        if (offset <= part.lastOffset) continue; // handed over twice by the client
        const position = `${stream}@${m.offset}`;
        if (part.lastOffset >= 0 && offset !== part.lastOffset + 1) {
          part.group++;
          // Judged as a reader failure, not as what the engine wrote: the missing records may hold anything.
          if (!this.options.transactional) undecodable(position, `offsets ${part.lastOffset + 1}..${offset - 1} were never handed to the reader, and a topic without transactions has no markers there: the reader skipped records`);
        }
        part.lastOffset = offset;
        try {
          const payload = this.frames ? this.frames.payload(m.value ?? '') : (m.value ?? '');
          visit(decodeRecord({ payload, meta: headerStrings(m.headers), stream, seq: offset, position, sinkTxn: part.group, arrivedAt: Number(m.timestamp) }, this.options.primaryKeys));
        } catch (e) {
          undecodable(position, e instanceof Error ? e.message : String(e));
        }
      }
    }
  }

  async close(): Promise<void> {
    await this.frames?.close();
    if (!this.started) return;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  private async start(): Promise<void> {
    await this.admin.connect();
    const consumer = this.kafka.consumer({ groupId: this.groupId, readUncommitted: this.options.isolation === 'read_uncommitted', maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const part = this.partition(payload.topic, payload.partition, 0);
      part.position = Math.max(part.position, Number(payload.lastOffset) + 1);
      if (this.options.isolation === 'read_uncommitted') part.target = Math.max(part.target, Number(payload.highWatermark));
      this.lastMove = Date.now();
    });
    consumer.on(consumer.events.GROUP_JOIN, () => this.crashes.joined());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // A restarted consumer resumes from the group's committed offsets (re-fetched messages
      // are skipped by offset in drain); treating every crash as final left a soak's checks
      // failing for the rest of the run after one Kafka kill.
      this.crashes.crashed(payload);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, heartbeat }) => {
        const part = this.partition(batch.topic, batch.partition, 0);
        // Backpressure: a reader that has not drained the queue holds the fetch of this partition.
        while (part.queue.length > QUEUE_LIMIT) {
          await new Promise((r) => setTimeout(r, 100));
          await heartbeat();
        }
        for (const m of batch.messages) part.queue.push(m);
      },
    });
  }

  /** Waits until every partition was fetched up to its target, a queue is full, or none moved for the idle timeout. */
  private async awaitTargets(): Promise<'done' | 'full' | 'idle'> {
    this.lastMove = Date.now();
    const idleMs = this.options.idleTimeoutMs ?? 5000;
    for (;;) {
      if (this.crashes.final) throw new Error(`Kafka tail for ${this.options.topics.join(', ')} crashed: ${this.crashes.final.message}`);
      const behind = [...this.parts.values()].filter((p) => p.position < p.target);
      if (behind.length === 0) return 'done';
      // A full queue stops fetching: the read drains it before waiting any longer.
      if (behind.some((p) => p.queue.length > QUEUE_LIMIT)) return 'full';
      if (Date.now() - this.lastMove > idleMs) return 'idle';
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private partition(topic: string, partition: number, low: number): Partition {
    const stream = `${topic}-${partition}`;
    let part = this.parts.get(stream);
    if (!part) this.parts.set(stream, (part = { queue: [], position: low, target: low, lastOffset: -1, group: 0 }));
    return part;
  }
}
