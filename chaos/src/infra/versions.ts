/**
 * Pinned versions of everything `tidemark-chaos setup` fetches. Bumping one of these makes the
 * next setup re-fetch it, because the markers in the cache record the version they were made for.
 */

/**
 * Kafka 3.9.x rather than 4.x: kafkajs 2.2.4 speaks request versions (e.g. Produce v3-, Fetch v4-)
 * that Kafka 4.0 removed (KIP-896), while 3.9 still supports them and runs KRaft with transactions.
 */
export const KAFKA_VERSION = '3.9.1';
export const KAFKA_SCALA_VERSION = '2.13';
/** Kafka 3.9 logs through slf4j 1.7 + reload4j, as its own distribution does. */
export const SLF4J_VERSION = '1.7.36';

export const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2/cmd/server';
export const TOXIPROXY_VERSION = 'v2.12.0';

/**
 * Apicurio Registry, the Confluent-compatible schema registry (`/apis/ccompat/v7`), built from
 * Maven Central alone (shared/research/schema-registry.md). 2.4.2 is the newest version whose
 * modules Central serves completely; Quarkus is the version 2.4.2 was built with.
 */
export const APICURIO_VERSION = '2.4.2.Final';
export const APICURIO_QUARKUS_VERSION = '2.16.4.Final';
/** 2.4.2 wants 0.1.18.Final, which has no `-deployment` jar on Central; 0.1.10's recorder has the same signature. */
export const APICURIO_CONFIG_INDEX_VERSION = '0.1.10.Final';
/** Stands in for `com.github.everit-org.json-schema`, a JitPack-only coordinate. */
export const EVERIT_JSON_SCHEMA_VERSION = '1.14.2';

/** NATS for the local image (the native provider uses Debian's nats-server); matches the official nats:2.10. */
export const NATS_MODULE = 'github.com/nats-io/nats-server/v2';
export const NATS_IMAGE_VERSION = 'v2.10.29';

/** Debian packages providing the database and broker servers. */
/** Servers for the native provider, plus Chromium for the report/playground browser tests. */
export const APT_SERVER_PACKAGES = ['mariadb-server', 'postgresql', 'redis-server', 'nats-server', 'chromium'] as const;
