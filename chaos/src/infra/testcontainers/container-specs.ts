import { randomBytes } from 'node:crypto';
import type { ServiceImageKey } from '../images/catalog.js';
import { kafkaSettings } from '../native/kafka-config.js';
import { POSTGRES_SETTINGS, settingFlags } from '../native/postgres.js';
import { registryJvmOptions } from '../native/schema-registry.js';
import { KIND_OF, PRIMARY_OF, isReplica } from '../spec.js';
import type { ServiceKind, ServiceName } from '../types.js';
import type { ContainerScripts } from './container-scripts.js';

/** Ports inside the containers. */
export const CONTAINER_PORTS = { mysql: 3306, postgres: 5432, kafkaProxied: 9092, kafkaController: 9093, redis: 6379, nats: 4222, schemaRegistry: 8080 } as const;

/** Where the entry scripts of docker/scripts are copied in every container that runs one. */
export const SCRIPTS_DIR = '/tidemark';

/** Everything needed to create one container; pure data, so it is unit-testable without Docker. */
export interface ContainerSpec {
  readonly name: ServiceName | 'toxiproxy';
  readonly image: string;
  /** Name on the topology's private network (replicas reach their primary by it). */
  readonly alias?: string;
  /** `host`: shares the host's network (Toxiproxy, so that its proxies live on the host as in native). */
  readonly networkMode?: 'host';
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly user?: string;
  readonly env: Readonly<Record<string, string>>;
  /** Fixed host bindings, so ports survive a container stop/start (Docker re-randomises unbound ones). */
  readonly ports: readonly { readonly container: number; readonly host: number }[];
  readonly files: readonly { readonly target: string; readonly content: string }[];
  /** Graceful stop signal (Postgres: SIGINT = fast shutdown, as in the native provider). */
  readonly stopSignal?: 'SIGINT' | 'SIGTERM';
}

/** Host ports chosen in advance for every service, its proxy, and Toxiproxy's API. */
export interface HostPorts {
  readonly direct: Readonly<Partial<Record<ServiceName, number>>>;
  readonly proxy: Readonly<Partial<Record<ServiceName, number>>>;
  /** Where Kafka's PROXIED listener is published: the upstream of the `kafka` proxy. */
  readonly kafkaProxiedListener?: number;
  readonly toxiproxyApi: number;
}

export interface SpecContext {
  readonly services: readonly ServiceName[];
  readonly hostPorts: HostPorts;
  /** The address clients on the host use for published ports and proxies (127.0.0.1 for a local engine). */
  readonly endpointHost: string;
  readonly images: Readonly<Record<ServiceImageKey, string>>;
  readonly scripts: ContainerScripts;
  readonly kafkaClusterId?: string;
}

const need = (value: number | undefined, what: string): number => {
  if (value === undefined) throw new Error(`no host port planned for ${what}`);
  return value;
};

const script = (ctx: SpecContext, name: keyof ContainerScripts) => ({ target: `${SCRIPTS_DIR}/${name}`, content: ctx.scripts[name] });

function mysqlSpec(name: ServiceName, ctx: SpecContext): ContainerSpec {
  return {
    name,
    image: ctx.images.mysql,
    alias: name,
    entrypoint: ['sh', `${SCRIPTS_DIR}/mysql-server.sh`],
    env: { SERVER_ID: isReplica(name) ? '2' : '1', ...(isReplica(name) ? { TIDEMARK_REPLICA: '1' } : {}) },
    ports: [{ container: CONTAINER_PORTS.mysql, host: need(ctx.hostPorts.direct[name], name) }],
    files: [script(ctx, 'mysql-server.sh'), script(ctx, 'mysql-init.sql')],
    stopSignal: 'SIGTERM',
  };
}

function postgresSpec(name: ServiceName, ctx: SpecContext): ContainerSpec {
  const standby: Record<string, string> = isReplica(name) ? { PRIMARY_HOST: PRIMARY_OF[name as 'postgres-b'], PRIMARY_PORT: String(CONTAINER_PORTS.postgres) } : {};
  return {
    name,
    image: ctx.images.postgres,
    alias: name,
    entrypoint: ['sh', `${SCRIPTS_DIR}/postgres-server.sh`],
    command: settingFlags(POSTGRES_SETTINGS),
    user: 'postgres',
    env: { PGDATA: '/var/lib/postgresql/data', POSTGRES_DB: 'tidemark', ...standby },
    ports: [{ container: CONTAINER_PORTS.postgres, host: need(ctx.hostPorts.direct[name], name) }],
    files: [script(ctx, 'postgres-server.sh')],
    stopSignal: 'SIGINT',
  };
}

/**
 * The broker's DIRECT listener binds inside the container on the same port number it is
 * published at: it advertises 127.0.0.1:<that port>, which the broker itself dials for its own
 * inter-broker traffic (e.g. transaction markers), so the address must work inside too.
 */
function kafkaSpec(ctx: SpecContext): ContainerSpec {
  const direct = need(ctx.hostPorts.direct.kafka, 'kafka');
  const settings = kafkaSettings(
    {
      proxied: { bind: `0.0.0.0:${CONTAINER_PORTS.kafkaProxied}`, advertised: `${ctx.endpointHost}:${need(ctx.hostPorts.proxy.kafka, 'kafka proxy')}` },
      direct: { bind: `0.0.0.0:${direct}`, advertised: `${ctx.endpointHost}:${direct}` },
      controller: { bind: `0.0.0.0:${CONTAINER_PORTS.kafkaController}`, voter: `localhost:${CONTAINER_PORTS.kafkaController}` },
    },
    '/var/lib/kafka/data',
  );
  return {
    name: 'kafka',
    image: ctx.images.kafka,
    alias: 'kafka',
    entrypoint: ['sh', `${SCRIPTS_DIR}/kafka-server.sh`],
    env: {
      ...kafkaEnv(settings),
      CLUSTER_ID: ctx.kafkaClusterId ?? randomBytes(16).toString('base64url'),
      KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
    },
    ports: [
      { container: direct, host: direct },
      { container: CONTAINER_PORTS.kafkaProxied, host: need(ctx.hostPorts.kafkaProxiedListener, 'kafka PROXIED listener') },
    ],
    files: [script(ctx, 'kafka-server.sh')],
    stopSignal: 'SIGTERM',
  };
}

/** Broker settings as the KAFKA_CFG_<NAME> variables docker/scripts/kafka-server.sh turns back into server.properties. */
export function kafkaEnv(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [`KAFKA_CFG_${k.toUpperCase().replaceAll('.', '_')}`, v]));
}

/** Redis as the native provider runs it (appendfsync always, see native/redis.ts); protected mode off for clients via Docker's port mapping. */
export const REDIS_COMMAND = [
  'redis-server', '--port', String(CONTAINER_PORTS.redis), '--protected-mode', 'no', '--dir', '/data',
  '--appendonly', 'yes', '--appendfsync', 'always', '--save', '',
] as const;

export const NATS_COMMAND = ['-p', String(CONTAINER_PORTS.nats), '-js', '-sd', '/data'] as const;

/**
 * The registry with the native service's settings (native/schema-registry.ts), its H2 file in the
 * container's own layer: it survives a stop/start of the container, as the native one survives a
 * restart. /tmp, because it is writable whichever user an image runs as.
 */
export const REGISTRY_JAVA_OPTS = registryJvmOptions({ host: '0.0.0.0', port: CONTAINER_PORTS.schemaRegistry }, '/tmp/tidemark-registry').join(' ');

/** The container for one service. */
export function serviceContainerSpec(name: ServiceName, ctx: SpecContext): ContainerSpec {
  const direct = (port: number): ContainerSpec['ports'] => [{ container: port, host: need(ctx.hostPorts.direct[name], name) }];
  switch (KIND_OF[name]) {
    case 'mysql':
      return mysqlSpec(name, ctx);
    case 'postgres':
      return postgresSpec(name, ctx);
    case 'kafka':
      return kafkaSpec(ctx);
    case 'redis':
      return { name, image: ctx.images.redis, alias: name, command: [...REDIS_COMMAND], env: {}, ports: direct(CONTAINER_PORTS.redis), files: [], stopSignal: 'SIGTERM' };
    case 'nats':
      return { name, image: ctx.images.nats, alias: name, command: [...NATS_COMMAND], env: {}, ports: direct(CONTAINER_PORTS.nats), files: [], stopSignal: 'SIGTERM' };
    case 'schema-registry':
      return { name, image: ctx.images['schema-registry'], alias: name, env: { JAVA_OPTS: REGISTRY_JAVA_OPTS }, ports: direct(CONTAINER_PORTS.schemaRegistry), files: [], stopSignal: 'SIGTERM' };
  }
}

/**
 * Toxiproxy on the host's network: its API and every proxy listen on host addresses, and it
 * reaches each server at its published port, exactly like the native provider's toxiproxy-server.
 * So every address in the topology is a host address, and the harness can add proxies later
 * (the HTTP receiver, the workload's failover proxy) and switch upstreams to any server.
 */
export function toxiproxyContainerSpec(ctx: SpecContext): ContainerSpec {
  return {
    name: 'toxiproxy',
    image: ctx.images.toxiproxy,
    networkMode: 'host',
    command: ['-host', ctx.endpointHost, '-port', String(ctx.hostPorts.toxiproxyApi)],
    env: {},
    ports: [],
    files: [],
    stopSignal: 'SIGTERM',
  };
}

/** What each kind's proxy forwards to inside docker-compose.chaos.yml's network (Kafka: its PROXIED listener). */
const COMPOSE_UPSTREAM_PORT: Readonly<Record<ServiceKind, number>> = {
  mysql: CONTAINER_PORTS.mysql,
  postgres: CONTAINER_PORTS.postgres,
  kafka: CONTAINER_PORTS.kafkaProxied,
  redis: CONTAINER_PORTS.redis,
  nats: CONTAINER_PORTS.nats,
  'schema-registry': CONTAINER_PORTS.schemaRegistry,
};

/** Compose's Toxiproxy listens for proxy i on 8666 + i. */
export const COMPOSE_FIRST_PROXY_PORT = 8666;

/** docker-compose.chaos.yml's proxies (toxiproxy.chaos.json): by network alias, since there Toxiproxy is a container among the others. */
export function toxiproxyProxies(services: readonly ServiceName[]): { name: ServiceName; listen: string; upstream: string }[] {
  return services.map((name, index) => ({ name, listen: `0.0.0.0:${COMPOSE_FIRST_PROXY_PORT + index}`, upstream: `${name}:${COMPOSE_UPSTREAM_PORT[KIND_OF[name]]}` }));
}
