import { randomBytes } from 'node:crypto';
import { kafkaSettings } from '../native/kafka-config.js';
import { KIND_OF, PRIMARY_OF, isReplica } from '../spec.js';
import type { ServiceKind, ServiceName } from '../types.js';
import { KAFKA_VERSION } from '../versions.js';
import { MYSQL8_INIT_SQL } from './mysql8-sql.js';

/** Images; pinned so a run is reproducible. */
export const IMAGES = {
  mysql: 'mysql:8.4',
  postgres: 'postgres:16',
  kafka: `apache/kafka:${KAFKA_VERSION}`,
  redis: 'redis:7.2',
  nats: 'nats:2.10',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
} as const;

/** Ports inside the containers. */
export const CONTAINER_PORTS = { mysql: 3306, postgres: 5432, kafkaProxied: 9092, kafkaDirect: 9094, kafkaController: 9093, redis: 6379, nats: 4222, toxiproxyApi: 8474 } as const;
/** What each kind's proxy forwards to (Kafka: the PROXIED listener, which advertises the proxy). */
const PROXY_UPSTREAM_PORT: Readonly<Record<ServiceKind, number>> = {
  mysql: CONTAINER_PORTS.mysql,
  postgres: CONTAINER_PORTS.postgres,
  kafka: CONTAINER_PORTS.kafkaProxied,
  redis: CONTAINER_PORTS.redis,
  nats: CONTAINER_PORTS.nats,
  // Apicurio's images listen on 8080; the image itself is added with the testcontainers work (issue 11).
  'schema-registry': 8080,
};
/** Toxiproxy container listens for proxy i on 8666 + i (the @testcontainers/toxiproxy convention). */
export const TOXIPROXY_FIRST_PROXY_PORT = 8666;

/** Everything needed to create one container; pure data, so it is unit-testable without Docker. */
export interface ContainerSpec {
  readonly name: ServiceName | 'toxiproxy';
  readonly image: string;
  /** Network alias on the topology's private network. */
  readonly alias: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly user?: string;
  readonly env: Readonly<Record<string, string>>;
  /** Fixed host bindings, so ports survive a container stop/start (Docker re-randomises unbound ones). */
  readonly ports: readonly { readonly container: number; readonly host: number }[];
  readonly files: readonly { readonly target: string; readonly content: string }[];
  /** The container port the service's clients use (proxy upstream and direct endpoint). */
  readonly servicePort: number;
  /** Log line that means ready (before the real-client probe). */
  readonly readyLog?: RegExp;
}

/** Host ports chosen in advance for every service (and for Toxiproxy's API and proxies). */
export interface HostPorts {
  readonly direct: Readonly<Partial<Record<ServiceName, number>>>;
  readonly proxy: Readonly<Partial<Record<ServiceName, number>>>;
  readonly toxiproxyApi: number;
}

/** Host name under which the host reaches mapped ports (usually localhost). */
export interface SpecContext {
  readonly services: readonly ServiceName[];
  readonly hostPorts: HostPorts;
  readonly advertisedHost: string;
  readonly kafkaClusterId?: string;
}

const need = (value: number | undefined, what: string): number => {
  if (value === undefined) throw new Error(`no host port planned for ${what}`);
  return value;
};

const POSTGRES_SETTINGS = ['wal_level=logical', 'max_replication_slots=20', 'max_wal_senders=20', 'hot_standby=on', 'wal_keep_size=256MB', 'wal_log_hints=on', 'fsync=off'];
const postgresCommand = (): string[] => ['postgres', ...POSTGRES_SETTINGS.flatMap((s) => ['-c', s])];

function mysqlSpec(name: ServiceName, ctx: SpecContext): ContainerSpec {
  const serverId = isReplica(name) ? 2 : 1;
  return {
    name,
    image: IMAGES.mysql,
    alias: name,
    command: [
      `--server-id=${serverId}`, '--gtid-mode=ON', '--enforce-gtid-consistency=ON', '--log-bin=mysql-bin',
      '--binlog-format=ROW', '--binlog-row-image=FULL', '--binlog-row-metadata=FULL', '--log-replica-updates=ON',
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', '--skip-name-resolve',
      '--innodb-flush-log-at-trx-commit=2', '--sync-binlog=0',
      ...(isReplica(name) ? ['--read-only=ON', '--super-read-only=ON'] : []),
    ],
    env: { MYSQL_ALLOW_EMPTY_PASSWORD: 'yes' },
    ports: [{ container: CONTAINER_PORTS.mysql, host: need(ctx.hostPorts.direct[name], name) }],
    files: [{ target: '/docker-entrypoint-initdb.d/00-tidemark.sql', content: MYSQL8_INIT_SQL }],
    servicePort: CONTAINER_PORTS.mysql,
    readyLog: /ready for connections.*port: 3306/,
  };
}

function postgresSpec(name: ServiceName, ctx: SpecContext): ContainerSpec {
  const ports = [{ container: CONTAINER_PORTS.postgres, host: need(ctx.hostPorts.direct[name], name) }];
  if (!isReplica(name)) {
    return {
      name, image: IMAGES.postgres, alias: name, command: postgresCommand(),
      env: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'tidemark' },
      ports,
      // The image's pg_hba allows replication only from localhost; the standby comes over the network.
      files: [{ target: '/docker-entrypoint-initdb.d/00-replication.sh', content: 'echo "host replication all all trust" >> "$PGDATA/pg_hba.conf"\n' }],
      servicePort: CONTAINER_PORTS.postgres,
    };
  }
  const primary = PRIMARY_OF[name as 'postgres-b'];
  const script = [
    'set -e',
    'if [ ! -s "$PGDATA/PG_VERSION" ]; then',
    '  rm -rf "$PGDATA"/*',
    `  until pg_basebackup -h ${primary} -p ${CONTAINER_PORTS.postgres} -U postgres -D "$PGDATA" -R -X stream -c fast; do sleep 1; done`,
    '  chmod 0700 "$PGDATA"',
    'fi',
    `exec ${postgresCommand().join(' ')}`,
  ].join('\n');
  return {
    name, image: IMAGES.postgres, alias: name, entrypoint: ['bash', '-c', script], user: 'postgres',
    env: { PGDATA: '/var/lib/postgresql/data' }, ports, files: [], servicePort: CONTAINER_PORTS.postgres,
  };
}

function kafkaSpec(ctx: SpecContext): ContainerSpec {
  const directHost = need(ctx.hostPorts.direct.kafka, 'kafka');
  const proxyHost = need(ctx.hostPorts.proxy.kafka, 'kafka proxy');
  const settings = kafkaSettings(
    {
      proxied: { bind: `0.0.0.0:${CONTAINER_PORTS.kafkaProxied}`, advertised: `${ctx.advertisedHost}:${proxyHost}` },
      direct: { bind: `0.0.0.0:${CONTAINER_PORTS.kafkaDirect}`, advertised: `${ctx.advertisedHost}:${directHost}` },
      controller: { bind: `0.0.0.0:${CONTAINER_PORTS.kafkaController}`, voter: `kafka:${CONTAINER_PORTS.kafkaController}` },
    },
    '/var/lib/kafka/data',
  );
  // The apache/kafka image maps KAFKA_FOO_BAR to foo.bar.
  const env = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`KAFKA_${k.toUpperCase().replaceAll('.', '_')}`, v]));
  return {
    name: 'kafka', image: IMAGES.kafka, alias: 'kafka',
    env: { ...env, CLUSTER_ID: ctx.kafkaClusterId ?? randomBytes(16).toString('base64url'), KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m' },
    ports: [{ container: CONTAINER_PORTS.kafkaDirect, host: directHost }],
    files: [], servicePort: CONTAINER_PORTS.kafkaDirect, readyLog: /Kafka Server started/,
  };
}

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
      return { name, image: IMAGES.redis, alias: name, command: ['redis-server', '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], env: {}, ports: direct(CONTAINER_PORTS.redis), files: [], servicePort: CONTAINER_PORTS.redis };
    case 'nats':
      return { name, image: IMAGES.nats, alias: name, command: ['-js', '-sd', '/data'], env: {}, ports: direct(CONTAINER_PORTS.nats), files: [], servicePort: CONTAINER_PORTS.nats };
    case 'schema-registry':
      throw new Error('the testcontainers provider has no schema-registry image yet; use --provider native (docs/infrastructure.md)');
  }
}

/** Toxiproxy's listen port inside its container for the i-th service of the topology. */
export function toxiproxyListenPort(services: readonly ServiceName[], name: ServiceName): number {
  const index = services.indexOf(name);
  if (index < 0) throw new Error(`${name} is not in this topology`);
  return TOXIPROXY_FIRST_PROXY_PORT + index;
}

export function toxiproxyContainerSpec(ctx: SpecContext): ContainerSpec {
  return {
    name: 'toxiproxy', image: IMAGES.toxiproxy, alias: 'toxiproxy', env: {},
    ports: [
      { container: CONTAINER_PORTS.toxiproxyApi, host: ctx.hostPorts.toxiproxyApi },
      ...ctx.services.map((s) => ({ container: toxiproxyListenPort(ctx.services, s), host: need(ctx.hostPorts.proxy[s], `${s} proxy`) })),
    ],
    files: [], servicePort: CONTAINER_PORTS.toxiproxyApi,
  };
}

/** Proxy definitions for Toxiproxy's API: listen inside its container, upstream by network alias. */
export function toxiproxyProxies(services: readonly ServiceName[]): { name: ServiceName; listen: string; upstream: string }[] {
  return services.map((name) => {
    return { name, listen: `0.0.0.0:${toxiproxyListenPort(services, name)}`, upstream: `${name}:${PROXY_UPSTREAM_PORT[KIND_OF[name]]}` };
  });
}
