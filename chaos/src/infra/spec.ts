import { SERVICE_NAMES, type ReplicaName, type ServiceKind, type ServiceName, type TopologySpec } from './types.js';

export const KIND_OF: Readonly<Record<ServiceName, ServiceKind>> = {
  mysql: 'mysql',
  'mysql-b': 'mysql',
  postgres: 'postgres',
  'postgres-b': 'postgres',
  kafka: 'kafka',
  redis: 'redis',
  nats: 'nats',
  'schema-registry': 'schema-registry',
};

/** Each replica and the primary it follows. */
export const PRIMARY_OF: Readonly<Record<ReplicaName, ServiceName>> = { 'mysql-b': 'mysql', 'postgres-b': 'postgres' };

export function isReplica(name: ServiceName): name is ReplicaName {
  return name in PRIMARY_OF;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

/** Accepts a spec or a bare list of names (the common case in tests). */
export function normaliseSpec(spec: TopologySpec | readonly string[]): TopologySpec {
  return Array.isArray(spec) ? { services: spec.map(checkName) } : (spec as TopologySpec);
}

function checkName(value: string): ServiceName {
  if (!isServiceName(value)) throw new Error(`unknown service "${value}"; known services: ${SERVICE_NAMES.join(', ')}`);
  return value;
}

/**
 * The services to start, deduplicated, each replica's primary pulled in, in canonical order
 * (primaries before their replicas).
 */
export function resolveServices(requested: readonly string[]): ServiceName[] {
  const wanted = new Set<ServiceName>(requested.map(checkName));
  for (const name of [...wanted]) if (isReplica(name)) wanted.add(PRIMARY_OF[name]);
  return SERVICE_NAMES.filter((name) => wanted.has(name));
}
