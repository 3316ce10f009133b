import type { Credentials, Endpoint, ServiceInfo, Via } from './types.js';

/**
 * Client options for a service, as plain objects (no client library types), so callers can pass
 * them to mysql2, pg, kafkajs, ioredis or nats directly. `via` defaults to 'proxy': the path the
 * engine under test takes; workloads and readers use 'direct' so faults do not touch them.
 */
export function endpointOf(service: ServiceInfo, via: Via = 'proxy'): Endpoint {
  return via === 'proxy' ? service.proxied : service.direct;
}

/** "host:port" */
export function address(service: ServiceInfo, via: Via = 'proxy'): string {
  const { host, port } = endpointOf(service, via);
  return `${host}:${port}`;
}

function needCredentials(service: ServiceInfo, which: 'admin' | 'cdc'): Credentials {
  const credentials = which === 'admin' ? service.credentials : service.cdcCredentials;
  if (!credentials) throw new Error(`${service.name} has no ${which} credentials (it is a ${service.kind} service)`);
  return credentials;
}

/** mysql2 connection options (admin = root; cdc = the replication user). */
export function mysqlOptions(service: ServiceInfo, via: Via = 'proxy', who: 'admin' | 'cdc' = 'admin') {
  const { user, password, database } = needCredentials(service, who);
  return { ...endpointOf(service, via), user, password, database };
}

/** pg Client/Pool options. */
export function pgOptions(service: ServiceInfo, via: Via = 'proxy', who: 'admin' | 'cdc' = 'admin') {
  const { user, password, database } = needCredentials(service, who);
  return { ...endpointOf(service, via), user, password, database };
}

/** kafkajs `brokers`. Through the proxy the broker advertises the proxy, so clients stay behind it. */
export function kafkaBrokers(service: ServiceInfo, via: Via = 'proxy'): string[] {
  return [address(service, via)];
}

/** ioredis options. */
export function redisOptions(service: ServiceInfo, via: Via = 'proxy'): Endpoint {
  return { ...endpointOf(service, via) };
}

/** nats `servers`. */
export function natsServers(service: ServiceInfo, via: Via = 'proxy'): string {
  return address(service, via);
}

/** Base URL of the Confluent-compatible API of a schema-registry service (what clients are given). */
export function registryUrl(service: ServiceInfo, via: Via = 'proxy'): string {
  return `http://${address(service, via)}${REGISTRY_API_PATH}`;
}

/** Apicurio serves Confluent's REST API under this path. */
export const REGISTRY_API_PATH = '/apis/ccompat/v7';
