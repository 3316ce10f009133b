/**
 * What `vs-debezium` installs from Maven Central into the cache, pinned to versions that resolve
 * there today (checked with `mvn dependency:get`, December 2026):
 * - MariaDB: io.debezium:debezium-connector-mariadb 3.5.0.Final. 3.6.1.Final is not served, and
 *   issue 17 found the 3.6.1 MySQL connector refusing a MariaDB server, so the newest MariaDB
 *   connector that resolves is the one to measure.
 * - Postgres: io.debezium:debezium-connector-postgres 3.6.1.Final, the newest version whose
 *   modules all resolve together.
 * - Kafka Connect (standalone worker, JSON converter) and Kafka's own tools (ProducerPerformance,
 *   the `kafka-producer-perf-test` ceiling): 4.3.2, the newest 4.3 release. Connect 4.x is what
 *   Debezium 3.x is built and tested against; the broker stays the harness's 3.9.1 (4.x clients
 *   speak to it).
 * Each connector gets its own plugin directory: Connect loads each with its own class loader, so
 * their different Debezium cores do not meet.
 */
export const CONNECT_VERSION = '4.3.2';
/** log4j-core comes with connect-runtime; this binds slf4j (1.7, which Connect and Debezium log through) to it. */
export const LOG4J_VERSION = '2.25.5';

export interface ConnectorPlugin {
  readonly source: 'mysql' | 'postgres';
  readonly artifact: string;
  readonly version: string;
  readonly connectorClass: string;
}

export const DEBEZIUM_PLUGINS: readonly ConnectorPlugin[] = [
  { source: 'mysql', artifact: 'debezium-connector-mariadb', version: '3.5.0.Final', connectorClass: 'io.debezium.connector.mariadb.MariaDbConnector' },
  { source: 'postgres', artifact: 'debezium-connector-postgres', version: '3.6.1.Final', connectorClass: 'io.debezium.connector.postgresql.PostgresConnector' },
];

export function pluginFor(source: 'mysql' | 'postgres'): ConnectorPlugin {
  return DEBEZIUM_PLUGINS.find((p) => p.source === source)!;
}

/** Everything pinned, in one line: the cache marker compares it, so a bump re-installs. */
export function installFingerprint(): string {
  return [`connect ${CONNECT_VERSION}`, `log4j ${LOG4J_VERSION}`, ...DEBEZIUM_PLUGINS.map((p) => `${p.artifact} ${p.version}`)].join('; ');
}
