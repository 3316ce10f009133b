import type { Scenario } from '../scenarios/index.js';
import type { SinkKind } from '../history/index.js';
import type { HttpReadLayout, KafkaReadLayout, NatsReadLayout, RedisReadLayout } from '../readers/index.js';
import type { RunNamespace } from './namespace.js';

/**
 * Where each attached sink puts a run's events, decided once and shared by the pipeline
 * rendering (routing templates), the setup (topics, stream) and the readers.
 */
export interface SinkLayout {
  /** `topics`: every topic the template can resolve to; a keyless table's topic has one partition (`partitionsOf`), so its rows keep their order. */
  readonly kafka?: KafkaReadLayout & { /** The routing template the pipeline uses. */ readonly topicTemplate: string };
  readonly redis?: RedisReadLayout & { readonly streamTemplate: string };
  readonly nats?: NatsReadLayout & { readonly subjectTemplate: string };
  readonly http?: HttpReadLayout & { readonly pathTemplate: string };
}

/** Per-table routing everywhere, except exactly-once Kafka (see below). */
export function sinkLayout(scenario: Scenario, ns: RunNamespace, tables: readonly string[], keyless: readonly string[] = []): SinkLayout {
  const { kafka, redis, nats, http } = scenario.sinks;
  const out: { -readonly [K in keyof SinkLayout]: SinkLayout[K] } = {};
  if (kafka) {
    // The torn-transaction checker knows a Kafka transaction only from the offset gaps its
    // commit marker leaves, per partition: an exactly-once run therefore writes all tables to one
    // single-partition topic, so that one Kafka transaction is one group of offsets.
    out.kafka = kafka.exactly_once
      ? { exactlyOnce: true, topicTemplate: `${ns.kafkaPrefix}all`, topics: [`${ns.kafkaPrefix}all`], partitions: 1 }
      : {
          exactlyOnce: false,
          topicTemplate: `${ns.kafkaPrefix}\${source.table}`,
          topics: tables.map((t) => `${ns.kafkaPrefix}${t}`),
          partitions: 3,
          // Without a primary key the engine sends rows without a message key: only one partition keeps a row's changes in order.
          ...(keyless.length > 0 ? { partitionsOf: Object.fromEntries(keyless.map((t) => [`${ns.kafkaPrefix}${t}`, 1])) } : {}),
        };
  }
  if (redis) out.redis = { exactlyOnce: redis.exactly_once, streamTemplate: `${ns.redisPrefix}\${source.table}`, streams: tables.map((t) => `${ns.redisPrefix}${t}`), pattern: `${ns.redisPrefix}*` };
  if (nats) out.nats = { stream: ns.natsStream, subjectTemplate: `${ns.natsSubject}.\${source.table}`, subjects: `${ns.natsSubject}.>` };
  if (http) out.http = { pathPrefix: `${ns.httpPath}/`, pathTemplate: `${ns.httpPath}/\${source.table}` };
  return out;
}

export function attachedSinks(layout: SinkLayout): SinkKind[] {
  return (['kafka', 'redis', 'nats', 'http'] as const).filter((k) => layout[k] !== undefined);
}
