import type { KafkaSinkConfig } from '../../config/sinks.js';
import type { Batch, ChangeEvent, Position } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { systemClock } from '../../util/clock.js';
import { Retrier } from '../../util/retry/index.js';
import { CLEAN_DELIVERY, type DeliveryReport, type Sink, type SinkContext } from '../sink.js';
import type { KafkaClientAdapter, OutgoingMessage, ProducerAdapter } from './adapter.js';
import { CHECKPOINT_TOPIC_CONFIG, CHECKPOINT_TOPIC_PARTITIONS, checkpointKey, encodeCheckpoint, samePosition } from './checkpoint-record.js';
import { readLatestCheckpoint } from './checkpoint-reader.js';
import { classifyKafkaError } from './classify.js';
import { resolveProducerSettings, type ProducerSettings } from './client-conf.js';
import { createClientAdapter } from './load-client.js';
import { MessageBuilder, topicProblem } from './messages.js';
import { TransactionStateMachine } from './transaction-state.js';
import { partitionForKey } from './murmur2.js';

/** A new checkpoint topic may take a few seconds to get a leader: short, capped steps. */
const CHECKPOINT_READ_BACKOFF = { baseMs: 100, capMs: 2_000 };

/**
 * Kafka sink. At-least-once: the idempotent producer, acks=all, each batch acknowledged whole.
 * Exactly-once: each batch is one transaction holding its events AND the sink's checkpoint
 * record (compacted checkpoint topic, key `{pipeline}/{sink}`), so a read_committed consumer
 * sees a batch exactly when the checkpoint that covers it exists; after a crash or an unknown
 * commit outcome the sink reads that checkpoint back and skips what Kafka already holds.
 */
export class KafkaSink implements Sink {
  readonly id: string;
  readonly required: boolean;
  readonly ownsCheckpoint: boolean;
  private readonly settings: ProducerSettings;
  private readonly client: KafkaClientAdapter;
  private readonly builder: MessageBuilder;
  private readonly key: string;
  private producer: ProducerAdapter | null = null;
  private checkpointPartition = -1;
  /** The checkpoint Kafka holds, as far as this instance knows (exactly-once only). */
  private held: Position | null = null;
  /** Where exactly-once delivery stands: see transaction-state.ts. */
  private readonly tx = new TransactionStateMachine();
  private readonly checkpointReads: Retrier;

  constructor(private readonly config: KafkaSinkConfig, private readonly ctx: SinkContext, client?: KafkaClientAdapter) {
    this.id = config.id;
    this.required = config.required;
    this.ownsCheckpoint = config.exactly_once;
    for (const [field, topic] of [['topic', config.topic], ['checkpoint_topic', config.checkpoint_topic]] as const) {
      const problem = topic.includes('${') ? null : topicProblem(topic);
      if (problem) throw new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `kafka sink ${config.id}: ${field} "${topic}" ${problem}`, { context: { sink: config.id, field } });
    }
    this.settings = resolveProducerSettings(config, ctx);
    this.client = client ?? createClientAdapter(config, this.settings, ctx.logger);
    this.builder = new MessageBuilder(config, { pipeline: ctx.pipeline, tenant: ctx.tenant, maxMessageBytes: this.settings.maxMessageBytes, logger: ctx.logger, ...(ctx.encodingMetrics ? { encodingMetrics: ctx.encodingMetrics } : {}) });
    this.key = checkpointKey(ctx.pipeline, config.id);
    this.checkpointReads = new Retrier({
      what: `kafka sink ${config.id} checkpoint read`,
      classify: (e) => this.classify(e, 'read checkpoint'),
      policy: CHECKPOINT_READ_BACKOFF,
      logger: ctx.logger,
      fields: { sink: config.id },
    });
  }

  get clientName(): string {
    return this.client.name;
  }

  async open(): Promise<void> {
    try {
      if (this.config.exactly_once) await this.prepareCheckpointTopic();
      await this.connectedProducer();
    } catch (e) {
      throw this.classify(e, 'open');
    }
    this.ctx.logger.info({ sink: this.id, client: this.client.name, exactlyOnce: this.config.exactly_once, transactionalId: this.settings.transactionalId }, 'kafka sink open');
  }

  /**
   * Retries transient failures itself: the coordinator reads the checkpoint once at start, a
   * brand-new checkpoint topic may not have a leader yet, and a transaction another pipeline
   * left open on the same checkpoint partition holds read_committed readers back until the
   * broker aborts it (transaction.timeout.ms), so that is how long this may wait.
   */
  async readCheckpoint(): Promise<Position | null> {
    if (!this.config.exactly_once) return null;
    const deadline = systemClock.now() + this.settings.sendTimeoutMs + Number(this.settings.properties['transaction.timeout.ms'] ?? 60_000);
    this.held = await this.checkpointReads.run(
      async () => {
        // A (re)initialised producer has fenced older instances and ended their open transaction,
        // and ours has none open, so the read below cannot wait on our own transactions.
        await this.connectedProducer();
        return readLatestCheckpoint(this.client, this.config.checkpoint_topic, this.key, Math.max(1_000, deadline - systemClock.now()));
      },
      { deadline },
    );
    this.tx.to('recovering');
    return this.held;
  }

  async deliver(batch: Batch): Promise<DeliveryReport> {
    if (this.config.exactly_once) return this.deliverInTransaction(batch);
    // Registry I/O (Avro) before anything is produced: a batch that must wait sends nothing.
    await this.builder.prepare(batch.events);
    const built = this.buildMessages(batch.events);
    if (built.count > 0) {
      try {
        const producer = await this.connectedProducer();
        await producer.send(built.topics);
      } catch (e) {
        this.discardProducer();
        throw this.classify(e, 'send');
      }
    }
    return built.poisoned.length > 0 ? { poisoned: built.poisoned } : CLEAN_DELIVERY;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect();
    await this.client.close();
    await this.builder.close();
  }

  /** Forgets cached Avro schemas (POST /pipelines/{name}/schemas/reload). */
  async reloadSchemas(): Promise<void> {
    this.builder.reset();
  }

  private async deliverInTransaction(batch: Batch): Promise<DeliveryReport> {
    if (this.tx.state === 'unresolved') await this.readCheckpoint();
    const events = this.notYetHeld(batch);
    if (events === null) return CLEAN_DELIVERY;
    await this.builder.prepare(events);
    const built = this.buildMessages(events);
    const checkpoint: OutgoingMessage = {
      key: Buffer.from(this.key),
      value: encodeCheckpoint({ position: batch.position, batch: batch.seq, events: built.count }),
      headers: {},
      partition: this.checkpointPartition,
    };
    let producer: ProducerAdapter | null = null;
    try {
      this.tx.to('beginning');
      producer = await this.connectedProducer();
      await producer.beginTransaction();
      this.tx.to('sending');
      await producer.send([...built.topics, { topic: this.config.checkpoint_topic, messages: [checkpoint] }]);
      this.tx.to('committing');
      await producer.commitTransaction();
      this.tx.to('ready');
    } catch (e) {
      const error = this.classify(e, `transaction (${this.tx.phase})`);
      if (this.tx.failed(error.kind === 'fatal') === 'aborting') {
        await this.abort(producer!);
        this.tx.to('recovering');
      }
      this.discardProducer();
      throw error;
    }
    this.held = batch.position;
    this.ctx.metrics.txnCommitted();
    return built.poisoned.length > 0 ? { poisoned: built.poisoned } : CLEAN_DELIVERY;
  }

  /**
   * The events of `batch` Kafka does not hold yet, or null when it holds them all. The
   * coordinator normally skips held events itself; this covers a retry whose checkpoint
   * re-read failed, using the only comparison a sink has: equality with a position it wrote.
   */
  private notYetHeld(batch: Batch): readonly ChangeEvent[] | null {
    const held = this.held;
    // Streaming on from our own last commit, the next batch starts after it: nothing to compare.
    if (held === null || !this.tx.mayOverlap) return batch.events;
    if (samePosition(held, batch.position)) return null;
    for (let i = batch.events.length - 1; i >= 0; i--) {
      if (samePosition(batch.events[i]!.source.position, held)) return batch.events.slice(i + 1);
    }
    return batch.events;
  }

  private buildMessages(events: readonly ChangeEvent[]): ReturnType<MessageBuilder['build']> {
    const built = this.builder.build(events);
    // Without a DLQ nothing may be skipped: fail on the first poison event instead.
    if (built.poisoned.length > 0 && !this.ctx.dlqEnabled) throw built.poisoned[0]!.error;
    return built;
  }

  private async abort(producer: ProducerAdapter): Promise<void> {
    try {
      await producer.abortTransaction();
      this.ctx.metrics.txnAborted();
    } catch (e) {
      // The transaction ends anyway: the next InitProducerId (or the broker's timeout) aborts it.
      this.ctx.logger.debug({ sink: this.id, err: e }, 'kafka abort failed; the replacement producer aborts it');
    }
  }

  private async connectedProducer(): Promise<ProducerAdapter> {
    this.producer ??= await this.client.connectProducer();
    return this.producer;
  }

  /** After any failure the producer is replaced: a fresh one has no half-finished state (kafkajs #598) and, transactional, fences the old. */
  private discardProducer(): void {
    const producer = this.producer;
    this.producer = null;
    void producer?.disconnect();
  }

  private async prepareCheckpointTopic(): Promise<void> {
    const topic = this.config.checkpoint_topic;
    let partitions = await this.client.partitionCount(topic);
    if (partitions === null) {
      await this.client.createTopic(topic, CHECKPOINT_TOPIC_PARTITIONS, CHECKPOINT_TOPIC_CONFIG);
      partitions = await this.client.partitionCount(topic);
      if (partitions === null) throw new Error(`checkpoint topic ${topic} was created but has no partitions yet`);
      this.ctx.logger.info({ sink: this.id, topic, partitions }, 'created the exactly-once checkpoint topic (compacted)');
    }
    this.checkpointPartition = partitionForKey(Buffer.from(this.key), partitions);
  }

  private classify(e: unknown, operation: string): TidemarkError {
    return classifyKafkaError(e, { sink: this.id, client: this.client.name, transactional: this.config.exactly_once, operation });
  }
}

export function createKafkaSink(config: KafkaSinkConfig, ctx: SinkContext): Sink {
  return new KafkaSink(config, ctx);
}
