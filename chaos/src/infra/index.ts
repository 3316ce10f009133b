/**
 * Real infrastructure for tests and the chaos harness: MariaDB (+ GTID replica), Postgres
 * (+ streaming standby), Kafka (KRaft, transactions), Redis, NATS JetStream, each behind a
 * Toxiproxy proxy named like the service. See docs/infrastructure.md.
 */
export { startTopology, type StartOptions } from './start-topology.js';
export { selectProvider, dockerAvailable, type ProviderChoice } from './select-provider.js';
export type { Provider } from './provider.js';
export type { Topology } from './topology.js';
export { NativeProvider } from './native/native-provider.js';
export { TestcontainersProvider } from './testcontainers/testcontainers-provider.js';
export { ToxiproxyControl, type ProxyState } from './toxiproxy/control.js';
export { toxicBody, TOXIC_KINDS, type ToxicKind, type ToxicSpec, type ToxicPlacement } from './toxiproxy/toxics.js';
export { address, kafkaBrokers, mysqlOptions, natsServers, pgOptions, redisOptions, registryUrl, REGISTRY_API_PATH } from './connection.js';
export { readInfraState, writeInfraState, type InfraState } from './state-file.js';
export { cachePaths, cacheRoot, type CachePaths } from './cache-paths.js';
export { runSetup, SETUP_STEPS, type SetupReport } from './setup/run-setup.js';
export { livePids } from './process/registry.js';
export { checkHealth, type Health, type ServiceHealth } from './health.js';
export { createProvider } from './start-topology.js';
export { resolveServices } from './spec.js';
export * from './types.js';
