import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaClientAdapter, ProducerAdapter, ReadRecord, TopicMessages, Watermarks } from './adapter.js';
import type { ProducerSettings } from './client-conf.js';
import type { RdAdmin, RdKafkaError, RdKafkaModule, RdMessage, RdProducer } from './confluent-module.js';
import { KafkaTimeoutError, withTimeout } from './deadline.js';

const ERR_QUEUE_FULL = -184;
const ERR_TOPIC_ALREADY_EXISTS = 36;
const ERR_UNKNOWN_TOPIC_OR_PART = 3;
const ERR_UNKNOWN_TOPIC = -188;
const READ_UNCOMMITTED = 0;

/** Properties that describe the connection (not the producer), shared with admin and reader clients. */
const CONNECTION_PREFIXES = ['client.id', 'security.', 'sasl.', 'ssl.', 'socket.', 'broker.', 'reconnect.', 'enable.ssl', 'api.version', 'metadata.max.age.ms', 'topic.metadata.'];

function connectionProperties(settings: ProducerSettings): Record<string, string> {
  const out: Record<string, string> = { 'bootstrap.servers': settings.brokers.join(',') };
  for (const [k, v] of Object.entries(settings.properties)) if (CONNECTION_PREFIXES.some((p) => k.startsWith(p))) out[k] = v;
  return out;
}

function call<T = void>(what: string, ms: number, run: (cb: (err: RdKafkaError | null | undefined, value?: T) => void) => void): Promise<T> {
  return withTimeout(
    new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T)))),
    ms,
    what,
  );
}

/**
 * librdkafka's binding takes headers as an array of single-key objects, and copies names and
 * values during produce(). So one array and one object per header slot serve every message: a
 * slot is rebuilt only when its header name changes (the layout is the same for every event of
 * a sink), and no message allocates header objects. Built by assignment: a computed-key literal
 * (`{ [k]: v }`) costs ~5x more here.
 */
export class HeaderSlots {
  private readonly slots: Array<Record<string, string>> = [];
  private readonly names: string[] = [];

  /** The binding's form of `headers`; valid until the next call. */
  fill(headers: Readonly<Record<string, string>>): Array<Record<string, string>> {
    const { slots, names } = this;
    let i = 0;
    for (const name in headers) {
      if (names[i] !== name) {
        names[i] = name;
        slots[i] = {};
      }
      slots[i]![name] = headers[name]!;
      i++;
    }
    if (slots.length !== i) {
      slots.length = i;
      names.length = i;
    }
    return slots;
  }
}

class ConfluentProducer implements ProducerAdapter {
  private inTransaction = false;
  /**
   * The first failed delivery since the current send began. Sends never overlap and a producer
   * is replaced after any failure, so a failure report always belongs to the current send; no
   * per-message opaque is passed (the binding pins each one with a persistent handle that only
   * a delivery report would release).
   */
  private failure: RdKafkaError | null = null;
  private readonly headerSlots = new HeaderSlots();

  constructor(private readonly producer: RdProducer, private readonly settings: ProducerSettings) {
    producer.on('delivery-report', (err) => {
      if (err) this.failure ??= err;
    });
  }

  async send(batches: readonly TopicMessages[]): Promise<void> {
    this.failure = null;
    for (const { topic, messages } of batches) {
      for (const m of messages) {
        const headers = this.headerSlots.fill(m.headers);
        for (;;) {
          try {
            this.producer.produce(topic, m.partition ?? null, m.value, m.key, null, undefined, headers);
            break;
          } catch (e) {
            // The local queue is full: let the background thread drain it, then go on.
            if ((e as RdKafkaError).code !== ERR_QUEUE_FULL) throw e;
            await sleep(2);
          }
        }
      }
    }
    // In a transaction, commit flushes and fails if any message failed: nothing to wait for here.
    if (this.inTransaction) return;
    const ms = this.settings.sendTimeoutMs;
    await call('librdkafka flush', ms + 5_000, (cb) => this.producer.flush(ms + 1_000, cb));
    // Failure reports reach JS through a libuv async handle that runs after flush's completion
    // callback in the same loop turn; the check phase (setImmediate) comes after both.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failure) throw this.failure;
  }

  async beginTransaction(): Promise<void> {
    await call('librdkafka begin transaction', this.settings.sendTimeoutMs, (cb) => this.producer.beginTransaction(cb));
    this.inTransaction = true;
  }

  commitTransaction(): Promise<void> {
    this.inTransaction = false;
    const ms = this.settings.sendTimeoutMs;
    return call('librdkafka commit transaction', ms + 1_000, (cb) => this.producer.commitTransaction(ms, cb));
  }

  abortTransaction(): Promise<void> {
    this.inTransaction = false;
    const ms = this.settings.sendTimeoutMs;
    return call('librdkafka abort transaction', ms + 1_000, (cb) => this.producer.abortTransaction(ms, cb));
  }

  async disconnect(): Promise<void> {
    await call<unknown>('librdkafka disconnect', 6_000, (cb) => this.producer.disconnect(5_000, cb)).catch(() => {});
  }
}

export class ConfluentClient implements KafkaClientAdapter {
  readonly name = 'confluent' as const;
  private admin: RdAdmin | null = null;

  constructor(private readonly rd: RdKafkaModule, private readonly settings: ProducerSettings) {}

  async connectProducer(): Promise<ProducerAdapter> {
    const { settings } = this;
    // Successful deliveries are not reported one by one (a JS callback per message costs ~40% of
    // the producer's CPU): send() flushes, and a transaction's commit fails if a message did.
    const producer = new this.rd.Producer({ ...settings.properties, 'bootstrap.servers': settings.brokers.join(','), dr_cb: true, 'delivery.report.only.error': true });
    // Errors also arrive as events; they are reported through delivery reports and calls.
    producer.on('event.error', () => {});
    const adapter = new ConfluentProducer(producer, settings);
    try {
      await call<unknown>('librdkafka connect', settings.sendTimeoutMs, (cb) => producer.connect({ timeout: settings.sendTimeoutMs }, cb));
      producer.setPollInBackground(true);
      // InitProducerId: fences older instances of this transactional.id and resolves their open transaction.
      if (settings.transactionalId) await call('librdkafka init transactions', settings.sendTimeoutMs + 1_000, (cb) => producer.initTransactions(settings.sendTimeoutMs, cb));
    } catch (e) {
      await adapter.disconnect();
      throw e;
    }
    return adapter;
  }

  async partitionCount(topic: string): Promise<number | null> {
    const ms = this.settings.sendTimeoutMs;
    try {
      const [description] = await call<Array<{ partitions: unknown[]; error?: RdKafkaError }>>('librdkafka describe topic', ms, (cb) => this.adminClient().describeTopics([topic], { timeout: ms }, cb));
      if (description?.error) throw description.error;
      return description && description.partitions.length > 0 ? description.partitions.length : null;
    } catch (e) {
      const code = (e as RdKafkaError).code;
      if (code === ERR_UNKNOWN_TOPIC_OR_PART || code === ERR_UNKNOWN_TOPIC) return null;
      throw e;
    }
  }

  async createTopic(topic: string, partitions: number, configs: Readonly<Record<string, string>>): Promise<void> {
    const ms = this.settings.sendTimeoutMs;
    try {
      await call('librdkafka create topic', ms + 1_000, (cb) => this.adminClient().createTopic({ topic, num_partitions: partitions, replication_factor: -1, config: { ...configs } }, ms, cb));
    } catch (e) {
      if ((e as RdKafkaError).code !== ERR_TOPIC_ALREADY_EXISTS) throw e;
    }
  }

  async watermarks(topic: string, partition: number): Promise<Watermarks> {
    const ms = this.settings.sendTimeoutMs;
    const at = async (offset: unknown): Promise<number> => {
      const [result] = await call<Array<{ offset: number; error?: RdKafkaError }>>('librdkafka list offsets', ms, (cb) =>
        this.adminClient().listOffsets([{ topic, partition, offset }], { timeout: ms, isolationLevel: READ_UNCOMMITTED }, cb),
      );
      if (!result || result.error) throw result?.error ?? new Error(`no offsets for ${topic}[${partition}]`);
      return Number(result.offset);
    };
    return { low: await at(this.rd.OffsetSpec.EARLIEST), high: await at(this.rd.OffsetSpec.LATEST) };
  }

  async readCommitted(topic: string, partition: number, from: number, to: number, timeoutMs: number): Promise<ReadRecord[]> {
    if (from >= to) return [];
    const consumer = new this.rd.KafkaConsumer(
      {
        ...connectionProperties(this.settings),
        'group.id': `tidemark-reader-${randomUUID()}`,
        'enable.auto.commit': false,
        'isolation.level': 'read_committed',
        'enable.partition.eof': true,
      },
      {},
    );
    const records: ReadRecord[] = [];
    // EOF at `to` or beyond means every committed record below `to` was delivered: read_committed
    // consumers stop at the last stable offset, so EOF cannot pass a still-open transaction.
    let reached = false;
    consumer.on('partition.eof', (eof) => {
      if (eof.partition === partition && eof.offset >= to) reached = true;
    });
    await call<unknown>('librdkafka reader connect', timeoutMs, (cb) => consumer.connect({ timeout: timeoutMs }, cb));
    try {
      consumer.setDefaultConsumeTimeout(100);
      consumer.assign([{ topic, partition, offset: from }]);
      const deadline = Date.now() + timeoutMs;
      while (!reached) {
        if (Date.now() > deadline) throw new KafkaTimeoutError(`reading ${topic}[${partition}] read_committed up to offset ${to} (a transaction may be open)`, timeoutMs);
        const batch = await call<RdMessage[]>('librdkafka consume', timeoutMs, (cb) => consumer.consume(1000, cb));
        for (const m of batch) {
          if (m.offset >= from && m.offset < to) records.push({ offset: m.offset, key: toBuffer(m.key), value: m.value });
          if (m.offset >= to - 1) reached = true;
        }
      }
    } finally {
      await call<unknown>('librdkafka reader disconnect', 5_000, (cb) => consumer.disconnect(cb)).catch(() => {});
    }
    return records;
  }

  async close(): Promise<void> {
    this.admin?.disconnect();
    this.admin = null;
  }

  private adminClient(): RdAdmin {
    this.admin ??= this.rd.AdminClient.create(connectionProperties(this.settings));
    return this.admin;
  }
}

function toBuffer(key: Buffer | string | null | undefined): Buffer | null {
  if (key === null || key === undefined) return null;
  return typeof key === 'string' ? Buffer.from(key) : key;
}
