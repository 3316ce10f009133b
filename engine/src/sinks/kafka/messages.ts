import type { KafkaSinkConfig } from '../../config/sinks.js';
import type { Logger } from '../../logging/logger.js';
import type { EncodingMetrics } from '../../metrics/hooks.js';
import { compileTemplate, createSerializer, metadataHeaders, routedKey, withRouteOverride, type ChangeEvent, type EventSerializer, type MetadataLayout, type Template } from '../../event/index.js';
import { isTidemarkError, TidemarkError } from '../../errors/index.js';
import type { PoisonedEvent } from '../sink.js';
import type { OutgoingMessage, TopicMessages } from './adapter.js';

/** Kafka's legal topic names: 1–249 of [a-zA-Z0-9._-], not "." or "..". */
export function topicProblem(topic: string): string | null {
  if (topic.length > 249) return 'is longer than 249 characters';
  if (topic === '.' || topic === '..') return 'is not a legal topic name';
  if (!/^[a-zA-Z0-9._-]+$/.test(topic)) return 'has characters outside [a-zA-Z0-9._-]';
  return null;
}

/** Record framing beyond key, value and headers (record v2 varints, attributes, batch header). */
const RECORD_OVERHEAD = 96;
/** Far more than the event headers and framing take unless a template puts kilobytes into them. */
const HEADER_ALLOWANCE = 16 * 1024;

export interface BuiltMessages {
  readonly topics: TopicMessages[];
  readonly count: number;
  readonly poisoned: PoisonedEvent[];
}

/**
 * Turns events into Kafka records: the envelope + encoding as value, the key template's value
 * (or the serialised primary key, so per-key order maps onto one partition), the event headers,
 * and the topic template's value; a processor's `routing` overrides topic and key and adds headers. Events that cannot be routed, encoded or fit under
 * `message.max.bytes` come back as poison instead of failing the batch.
 */
export class MessageBuilder {
  private readonly topic: Template;
  private readonly key: Template | null;
  private readonly serializer: EventSerializer;
  private readonly layout: MetadataLayout;
  /** Avro keys: the primary key as an Avro record (a `key` template stays text). */
  private readonly avroKeys: boolean;

  constructor(config: KafkaSinkConfig, private readonly ctx: { pipeline: string; tenant: string; maxMessageBytes: number; logger?: Logger; encodingMetrics?: EncodingMetrics }) {
    this.layout = config.metadata_headers;
    const what = `kafka sink ${config.id} topic`;
    this.topic = withRouteOverride(compileTemplate(config.topic, ctx, { what, validate: topicProblem }), { what, validate: topicProblem });
    this.key = config.key === undefined ? null : compileTemplate(config.key, ctx, { what: `kafka sink ${config.id} key` });
    this.serializer = createSerializer(config.envelope, config.encoding, { who: `kafka sink ${config.id}`, ...(ctx.logger ? { logger: ctx.logger } : {}), ...(ctx.encodingMetrics ? { metrics: ctx.encodingMetrics } : {}) });
    this.avroKeys = config.encoding !== 'json' && config.encoding.key_encoding === 'avro' && config.key === undefined;
  }

  /** The encoding's once-per-batch step (Avro: register new schemas); a no-op for JSON. */
  async prepare(events: readonly ChangeEvent[]): Promise<void> {
    if (!this.serializer.prepare) return;
    await this.serializer.prepare(events, (e) => this.topicOrNull(e), { keys: this.avroKeys });
  }

  reset(): void {
    this.serializer.reset?.();
  }

  private topicOrNull(e: ChangeEvent): string | null {
    try {
      return this.topic.resolve(e);
    } catch {
      return unroutable();
    }
  }

  async close(): Promise<void> {
    await this.serializer.close?.();
  }

  build(events: readonly ChangeEvent[]): BuiltMessages {
    const byTopic = new Map<string, OutgoingMessage[]>();
    const poisoned: PoisonedEvent[] = [];
    let count = 0;
    for (const event of events) {
      let topic: string;
      let message: OutgoingMessage;
      try {
        topic = this.topic.resolve(event);
        message = this.message(event, topic);
      } catch (e) {
        if (!isTidemarkError(e) || e.kind !== 'poison') throw e;
        poisoned.push({ event, error: e });
        continue;
      }
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(message);
      count++;
    }
    return { topics: [...byTopic].map(([topic, messages]) => ({ topic, messages })), count, poisoned };
  }

  private message(event: ChangeEvent, topic: string): OutgoingMessage {
    const keyText = routedKey(event, this.key);
    const key = this.avroKeys ? this.serializer.serializeKey!(event, topic, keyText) : keyText === null ? null : Buffer.from(keyText);
    const value = this.serializer.serialize(event, topic);
    const metadata = metadataHeaders(this.layout, event, this.ctx.tenant);
    // A processor's routing headers travel too; the tidemark metadata wins a name clash.
    const headers = event.routing?.headers ? { ...event.routing.headers, ...metadata } : metadata;
    // Headers are a few hundred bytes: only count them exactly when the record is near the limit.
    const size = value.length + (key?.length ?? 0) + HEADER_ALLOWANCE < this.ctx.maxMessageBytes ? 0 : recordSize(key, value, headers);
    if (size > this.ctx.maxMessageBytes) {
      throw new TidemarkError('TIDEMARK_ERR_SINK_TOO_LARGE', `event ${event.id} (${event.source.db}.${event.source.table}) makes a ${size}-byte Kafka record, over message.max.bytes ${this.ctx.maxMessageBytes}`, {
        context: { event: event.id, table: `${event.source.db}.${event.source.table}`, bytes: size, limit: this.ctx.maxMessageBytes },
      });
    }
    return { key, value, headers };
  }
}

/** Routing failures are reported by build(); prepare skips such events. */
function unroutable(): null {
  return null;
}

export function recordSize(key: Buffer | null, value: Buffer, headers: Readonly<Record<string, string>>): number {
  let size = RECORD_OVERHEAD + value.length + (key?.length ?? 0);
  for (const name in headers) size += Buffer.byteLength(name) + Buffer.byteLength(headers[name]!) + 4;
  return size;
}
