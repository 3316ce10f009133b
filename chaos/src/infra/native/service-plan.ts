import { join } from 'node:path';
import type { CachePaths } from '../cache-paths.js';
import { allocatePort } from '../ports.js';
import { KIND_OF, PRIMARY_OF, isReplica } from '../spec.js';
import type { Endpoint, ServiceInfo, ServiceName } from '../types.js';
import { kafkaRecipe } from './kafka.js';
import { MARIADB_CDC, MARIADB_ROOT } from './mariadb-sql.js';
import { mariadbRecipe } from './mariadb.js';
import type { ServerRecipe } from './native-service.js';
import { natsRecipe } from './nats.js';
import { POSTGRES_SUPERUSER, postgresRecipe } from './postgres.js';
import { redisRecipe } from './redis.js';
import { schemaRegistryRecipe } from './schema-registry.js';

/** One service with its ports decided: what it is, where its proxy points, how to run it. */
export interface PlannedService {
  readonly info: ServiceInfo;
  /** Where the Toxiproxy proxy forwards (for Kafka: the PROXIED listener, not DIRECT). */
  readonly proxyUpstream: Endpoint;
  readonly recipe: ServerRecipe;
}

const local = (port: number): Endpoint => ({ host: '127.0.0.1', port });
const MARIADB_SERVER_IDS: Partial<Record<ServiceName, number>> = { mysql: 1, 'mysql-b': 2 };

/** Decides ports and data dirs for each service (primaries must precede their replicas). */
export async function planServices(services: readonly ServiceName[], root: string, paths: CachePaths): Promise<PlannedService[]> {
  const planned = new Map<ServiceName, PlannedService>();
  for (const name of services) {
    const kind = KIND_OF[name];
    const dir = join(root, name);
    const direct = local(await allocatePort());
    const proxied = local(await allocatePort());
    const primary = isReplica(name) ? planned.get(PRIMARY_OF[name])?.info.direct : undefined;
    if (isReplica(name) && !primary) throw new Error(`${name} planned before its primary ${PRIMARY_OF[name]}`);
    const base = { name, kind, direct, proxied, location: dir, ...(isReplica(name) ? { replicaOf: PRIMARY_OF[name] } : {}) };
    let plan: PlannedService;
    switch (kind) {
      case 'mysql': {
        const info: ServiceInfo = { ...base, credentials: MARIADB_ROOT, cdcCredentials: MARIADB_CDC };
        const recipe = mariadbRecipe({ info, dir, serverId: MARIADB_SERVER_IDS[name] ?? 9, templatesDir: paths.templatesDir, ...(primary ? { primary } : {}) });
        plan = { info, proxyUpstream: direct, recipe };
        break;
      }
      case 'postgres': {
        const info: ServiceInfo = { ...base, credentials: POSTGRES_SUPERUSER, cdcCredentials: POSTGRES_SUPERUSER };
        plan = { info, proxyUpstream: direct, recipe: postgresRecipe({ info, dir, templatesDir: paths.templatesDir, ...(primary ? { primary } : {}) }) };
        break;
      }
      case 'kafka': {
        const proxiedListener = local(await allocatePort());
        const layout = { proxiedListenerPort: proxiedListener.port, proxyPort: proxied.port, directPort: direct.port, controllerPort: await allocatePort() };
        plan = { info: base, proxyUpstream: proxiedListener, recipe: kafkaRecipe({ info: base, dir, paths, layout }) };
        break;
      }
      case 'redis':
        plan = { info: base, proxyUpstream: direct, recipe: redisRecipe(base, dir) };
        break;
      case 'nats':
        plan = { info: base, proxyUpstream: direct, recipe: natsRecipe(base, dir) };
        break;
      case 'schema-registry':
        plan = { info: base, proxyUpstream: direct, recipe: schemaRegistryRecipe(base, dir, paths) };
        break;
    }
    planned.set(name, plan);
  }
  return [...planned.values()];
}
