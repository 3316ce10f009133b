import { APICURIO_VERSION, KAFKA_VERSION, NATS_IMAGE_VERSION, TOXIPROXY_VERSION } from '../versions.js';

/**
 * Every container image the testcontainers provider, docker-compose.chaos.yml and
 * `tidemark-chaos images build` use: the one place naming them. Each entry has the official
 * image (pulled from a registry on machines that reach one) and the local image (built on this
 * machine from its own package sources by `tidemark-chaos images build`, for machines that
 * reach no registry). Adding a service is one entry here plus its recipe folder.
 *
 * Both images of an entry must honour the same small contract, because one container spec
 * (testcontainers/container-specs.ts) and one compose service run either of them; see each
 * entry's `contract`.
 */

/** The images a topology runs: one per kind of server, plus Toxiproxy. */
export const SERVICE_IMAGE_KEYS = ['mysql', 'postgres', 'kafka', 'redis', 'nats', 'schema-registry', 'toxiproxy'] as const;
export type ServiceImageKey = (typeof SERVICE_IMAGE_KEYS)[number];

/** Images only the build uses (base layers) and the engine image. */
export type ImageKey = ServiceImageKey | 'base' | 'node' | 'engine';

/** Where a local image's build starts and what it needs from the host. */
export type LocalRecipe =
  /** `debootstrap --variant=minbase bookworm` + `docker import`: the root of every local image. */
  | { readonly kind: 'debootstrap' }
  /**
   * `docker build` of docker/images/<dir>/Dockerfile on top of `from`, with host artefacts staged
   * into the build context first (see build/context-files.ts).
   */
  | { readonly kind: 'dockerfile'; readonly dir: string; readonly from: ImageKey; readonly hostFiles?: HostArtefact }
  /** The repository's own Dockerfile (the engine), with `from` as its NODE_IMAGE build argument. */
  | { readonly kind: 'repo-dockerfile'; readonly from: ImageKey };

/** Files from the host cache copied into a build context, so the image build downloads nothing big. */
export type HostArtefact = 'node-runtime' | 'kafka-libs' | 'registry-app' | 'nats-binary' | 'toxiproxy-binary';

export interface ImageEntry {
  readonly key: ImageKey;
  /** What runs in it, for tables and messages. */
  readonly title: string;
  /** The registry image, or null where there is none (local build layers). */
  readonly official: string | null;
  /** The image `images build` produces. */
  readonly local: string;
  readonly recipe: LocalRecipe;
  /** What both images must provide, because the same container spec runs either. */
  readonly contract: string;
}

const entries: readonly ImageEntry[] = [
  {
    key: 'base',
    title: 'Debian bookworm (minbase)',
    official: null,
    local: 'tidemark-local/debian:bookworm',
    recipe: { kind: 'debootstrap' },
    contract: 'root of the local images; keeps the bookworm apt lists so recipes install without apt-get update',
  },
  {
    key: 'node',
    title: 'Node.js 20 (engine image base)',
    official: 'node:20-bookworm-slim',
    local: 'tidemark-local/node:20',
    recipe: { kind: 'dockerfile', dir: 'node', from: 'base', hostFiles: 'node-runtime' },
    contract: 'node, npm and npx on PATH, Node headers for native builds, a `node` user (uid 1000)',
  },
  {
    key: 'mysql',
    title: 'MySQL family (primary and replica)',
    official: 'mysql:8.4',
    local: 'tidemark-local/mariadb:10.11',
    recipe: { kind: 'dockerfile', dir: 'mariadb', from: 'base' },
    contract: 'mysqld (MySQL) or mariadbd + mariadb-install-db (MariaDB), a client, a `mysql` user; docker/scripts/mysql-server.sh picks the flavour',
  },
  {
    key: 'postgres',
    title: 'PostgreSQL (primary and standby)',
    official: 'postgres:16',
    local: 'tidemark-local/postgres:15',
    recipe: { kind: 'dockerfile', dir: 'postgres', from: 'base' },
    contract: 'initdb, postgres and pg_basebackup on PATH, a `postgres` user owning $PGDATA (/var/lib/postgresql/data)',
  },
  {
    key: 'kafka',
    title: `Kafka ${KAFKA_VERSION} (KRaft)`,
    official: `apache/kafka:${KAFKA_VERSION}`,
    local: `tidemark-local/kafka:${KAFKA_VERSION}`,
    recipe: { kind: 'dockerfile', dir: 'kafka', from: 'base', hostFiles: 'kafka-libs' },
    contract: 'java on PATH, the broker jars in /opt/kafka/libs, /var/lib/kafka/data writable',
  },
  {
    key: 'redis',
    title: 'Redis 7',
    official: 'redis:7.2',
    local: 'tidemark-local/redis:7',
    recipe: { kind: 'dockerfile', dir: 'redis', from: 'base' },
    contract: 'redis-server on PATH',
  },
  {
    key: 'nats',
    title: `NATS ${NATS_IMAGE_VERSION} (JetStream)`,
    official: 'nats:2.10',
    local: `tidemark-local/nats:${NATS_IMAGE_VERSION.slice(1)}`,
    recipe: { kind: 'dockerfile', dir: 'nats', from: 'base', hostFiles: 'nats-binary' },
    contract: 'entrypoint is nats-server (no shell needed)',
  },
  {
    key: 'schema-registry',
    title: `Apicurio Registry ${APICURIO_VERSION} (schema registry)`,
    official: `apicurio/apicurio-registry-mem:${APICURIO_VERSION}`,
    local: `tidemark-local/apicurio-registry:${APICURIO_VERSION}`,
    recipe: { kind: 'dockerfile', dir: 'schema-registry', from: 'base', hostFiles: 'registry-app' },
    contract: 'the registry on 8080 (Confluent API under /apis/ccompat/v7), JVM flags and -D settings taken from JAVA_OPTS, /tmp writable',
  },
  {
    key: 'toxiproxy',
    title: `Toxiproxy ${TOXIPROXY_VERSION}`,
    official: `ghcr.io/shopify/toxiproxy:${TOXIPROXY_VERSION.slice(1)}`,
    local: `tidemark-local/toxiproxy:${TOXIPROXY_VERSION.slice(1)}`,
    recipe: { kind: 'dockerfile', dir: 'toxiproxy', from: 'base', hostFiles: 'toxiproxy-binary' },
    contract: 'entrypoint is toxiproxy-server (no shell needed)',
  },
  {
    key: 'engine',
    title: 'Tidemark engine (./Dockerfile)',
    official: 'tidemark:dev',
    local: 'tidemark-local/engine:dev',
    recipe: { kind: 'repo-dockerfile', from: 'node' },
    contract: 'built from the repository; `official` is what `docker build -t tidemark:dev .` makes with the node:20 base',
  },
];

export const IMAGE_CATALOG: ReadonlyMap<ImageKey, ImageEntry> = new Map(entries.map((e) => [e.key, e]));

export function imageEntry(key: ImageKey): ImageEntry {
  const entry = IMAGE_CATALOG.get(key);
  if (!entry) throw new Error(`no image "${key}" in the catalog (known: ${[...IMAGE_CATALOG.keys()].join(', ')})`);
  return entry;
}

/** Environment variable that overrides one image (compose substitutes it; the provider honours it). */
export function imageEnvVar(key: ImageKey): string {
  return `TIDEMARK_IMAGE_${key.toUpperCase().replaceAll('-', '_')}`;
}
