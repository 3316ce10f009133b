import type { ErrorDefinition } from '../definition.js';

/** Kafka-sink codes beyond the generic sink ones (unavailable, rejected, auth, fenced, poison). */
export const KAFKA_ERRORS = {
  TIDEMARK_ERR_KAFKA_CLIENT_CONF: { kind: 'non-retryable', remedy: 'fix-config', help: 'A client_conf property is unknown to the selected Kafka client, has a bad value, or conflicts with exactly_once (which fixes transactional.id, enable.idempotence and acks). The message names the property; see docs/sinks/kafka.md for what each client accepts.' },
  TIDEMARK_ERR_KAFKA_CLIENT_MISSING: { kind: 'non-retryable', remedy: 'fix-config', help: 'client: confluent was asked for but @confluentinc/kafka-javascript (an optional dependency) is not installed or its native binding did not load. Install it, or set client: kafkajs.' },
  TIDEMARK_ERR_KAFKA_CHECKPOINT: { kind: 'fatal', remedy: 'fatal', help: 'The exactly-once checkpoint record in the checkpoint topic could not be decoded, or the checkpoint topic has an unusable layout. Inspect the record for key {pipeline}/{sink}; never edit the topic by hand.' },
} as const satisfies Record<string, ErrorDefinition>;
