import type { ContainerRuntimeClient } from 'testcontainers';
import { traced, debug } from '../debug.js';
import type { ImageChoice } from '../images/image-choice.js';
import { MARIADB_CDC, MARIADB_ROOT } from '../native/mariadb-sql.js';
import { POSTGRES_SUPERUSER } from '../native/postgres.js';
import { allocatePort } from '../ports.js';
import { probeFor, probeToxiproxy } from '../probes.js';
import type { Provider } from '../provider.js';
import { waitUntilReady } from '../readiness.js';
import { promotePostgres, waitStandbyStreaming } from '../replication.js';
import { KIND_OF, PRIMARY_OF, isReplica, resolveServices } from '../spec.js';
import { RunningTopology, type Topology } from '../topology.js';
import { ToxiproxyControl } from '../toxiproxy/control.js';
import type { Endpoint, ServiceInfo, ServiceName, TopologySpec } from '../types.js';
import { loadContainerScripts } from './container-scripts.js';
import { ContainerService } from './container-service.js';
import { CONTAINER_PORTS, serviceContainerSpec, toxiproxyContainerSpec, type HostPorts, type SpecContext } from './container-specs.js';
import { dockerRuntime } from './docker-runtime.js';
import { followPrimary, promoteReplica } from './mysql-family.js';
import { Reaper } from './reaper.js';
import { newSession, removeSession, sweepDeadSessions, type Session } from './sessions.js';
import { toContainer } from './tidemark-container.js';
import { topologyImages } from './topology-images.js';

export interface TestcontainersProviderOptions {
  /** local | official | auto (default: $TIDEMARK_IMAGES, else auto). */
  readonly images?: ImageChoice;
}

/** Kafka's JVM and a first initdb/install-db take longest; a cold container start is slower than native. */
const READY_TIMEOUT_MS = 120_000;

/**
 * The same topology as the native provider, from container images: every server in its own
 * container on a private network (replicas reach their primary by name), its port published on
 * 127.0.0.1, and Toxiproxy on the host's network in front of each, so every address the harness
 * sees is a host address, as with native servers. Without Ryuk, every container carries the
 * session's labels: down() removes them, a reaper process does if the harness dies, and the next
 * bring-up sweeps sessions whose owner is gone.
 */
export class TestcontainersProvider implements Provider {
  readonly name = 'testcontainers' as const;
  private readonly topologies = new Set<Topology>();

  constructor(private readonly options: TestcontainersProviderOptions = {}) {}

  async up(spec: TopologySpec): Promise<Topology> {
    const services = resolveServices(spec.services);
    const runtime = await dockerRuntime();
    const docker = runtime.container.dockerode;
    const swept = await sweepDeadSessions(docker);
    if (swept.length > 0) debug(`removed containers of ${swept.length} dead session(s): ${swept.join(', ')}`);
    const images = await traced('images', () => topologyImages(services, this.options.images));
    const session = newSession();
    const reaper = Reaper.start(session.id);
    let running: RunningTopology | undefined;
    const stopAll = async (): Promise<void> => {
      await removeSession(docker, session.id);
      await reaper.stop();
      if (running) this.topologies.delete(running);
    };
    try {
      await docker.createNetwork({ Name: session.network, Driver: 'bridge', Labels: { ...session.labels } });
      const endpointHost = '127.0.0.1';
      const ctx: SpecContext = { services, hostPorts: await planPorts(services), endpointHost, images: images.refs, scripts: await loadContainerScripts() };
      const control = await traced('toxiproxy', () => startToxiproxy(ctx, session));
      const handles = await traced('start services', () => startServices(ctx, session, runtime));
      running = new RunningTopology('testcontainers', control, handles, stopAll, undefined, { images: { ...images.refs }, imageSet: images.set, session: session.id });
      this.topologies.add(running);
      return running;
    } catch (err) {
      await stopAll().catch(() => undefined);
      throw err;
    }
  }

  async down(): Promise<void> {
    await Promise.all([...this.topologies].map((t) => t.down()));
  }
}

async function planPorts(services: readonly ServiceName[]): Promise<HostPorts> {
  const direct: Partial<Record<ServiceName, number>> = {};
  const proxy: Partial<Record<ServiceName, number>> = {};
  for (const s of services) {
    direct[s] = await allocatePort();
    proxy[s] = await allocatePort();
  }
  return { direct, proxy, toxiproxyApi: await allocatePort(), ...(services.includes('kafka') ? { kafkaProxiedListener: await allocatePort() } : {}) };
}

const placement = (session: Session) => ({ network: session.network, hostIp: '127.0.0.1', labels: session.labels });

async function startToxiproxy(ctx: SpecContext, session: Session): Promise<ToxiproxyControl> {
  await toContainer(toxiproxyContainerSpec(ctx), placement(session)).start();
  const url = `http://${ctx.endpointHost}:${ctx.hostPorts.toxiproxyApi}`;
  await waitUntilReady(() => probeToxiproxy(url), { what: 'toxiproxy container', timeoutMs: 30_000 });
  const control = new ToxiproxyControl(url);
  for (const name of ctx.services) {
    const listen = { host: ctx.endpointHost, port: ctx.hostPorts.proxy[name] as number };
    const upstreamPort = name === 'kafka' ? ctx.hostPorts.kafkaProxiedListener : ctx.hostPorts.direct[name];
    await control.createProxy(name, listen, { host: ctx.endpointHost, port: upstreamPort as number });
  }
  return control;
}

function serviceInfo(name: ServiceName, ctx: SpecContext, containerName: string): ServiceInfo {
  const at = (port: number | undefined): Endpoint => ({ host: ctx.endpointHost, port: port ?? 0 });
  return {
    name, kind: KIND_OF[name], direct: at(ctx.hostPorts.direct[name]), proxied: at(ctx.hostPorts.proxy[name]),
    location: `container ${containerName.replace(/^\//, '')}`,
    ...(KIND_OF[name] === 'mysql' ? { credentials: MARIADB_ROOT, cdcCredentials: MARIADB_CDC } : {}),
    ...(KIND_OF[name] === 'postgres' ? { credentials: POSTGRES_SUPERUSER, cdcCredentials: POSTGRES_SUPERUSER } : {}),
    ...(isReplica(name) ? { replicaOf: PRIMARY_OF[name] } : {}),
  };
}

/** Starts every service in parallel, each replica once its primary is up; fails with every failure. */
async function startServices(ctx: SpecContext, session: Session, runtime: ContainerRuntimeClient): Promise<Map<ServiceName, ContainerService>> {
  const handles = new Map<ServiceName, ContainerService>();
  const startOne = async (name: ServiceName): Promise<void> => {
    const container = await traced(`${name} container`, () => toContainer(serviceContainerSpec(name, ctx), placement(session)).start());
    const info = serviceInfo(name, ctx, container.getName());
    let promotion: (() => Promise<void>) | undefined;
    const handle = new ContainerService({
      info, container, runtime, readyTimeoutMs: READY_TIMEOUT_MS,
      probe: () => probeFor(info.kind, info.direct, info.credentials),
      ...(isReplica(name) ? { promotion: () => (promotion ? promotion() : Promise.reject(new Error(`${name} is not wired to its primary yet`))) } : {}),
    });
    handles.set(name, handle);
    await traced(`${name} ready`, () => handle.start());
    if (isReplica(name)) promotion = await traced(`${name} replication`, () => wireReplica(name, info, ctx, runtime, container.getId()));
  };
  const starting = new Map<ServiceName, Promise<void>>();
  for (const name of ctx.services) {
    const after = isReplica(name) ? starting.get(PRIMARY_OF[name]) : undefined;
    starting.set(name, after ? after.then(() => startOne(name)) : startOne(name));
  }
  const results = await Promise.allSettled(ctx.services.map((s) => starting.get(s) as Promise<void>));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${ctx.services[i]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
  if (failures.length > 0) throw new Error(`could not start ${failures.length} service(s):\n${failures.join('\n')}`);
  return new Map(ctx.services.map((s) => [s, handles.get(s) as ContainerService]));
}

/**
 * Points a replica at its primary (by network alias) and returns its promotion.
 * A promoted MySQL-family replica also gets a marker in its data dir, so that a restart of the
 * container does not bring it back read-only (mysql-server.sh reads it).
 */
async function wireReplica(name: ServiceName, info: ServiceInfo, ctx: SpecContext, runtime: ContainerRuntimeClient, containerId: string): Promise<() => Promise<void>> {
  const primary = PRIMARY_OF[name as 'mysql-b' | 'postgres-b'];
  if (KIND_OF[name] === 'mysql') {
    const flavour = await followPrimary(info.direct, { host: primary, port: CONTAINER_PORTS.mysql }, name);
    return async () => {
      await promoteReplica(info.direct, flavour);
      await runtime.container.exec(runtime.container.getById(containerId), ['touch', '/var/lib/mysql/.tidemark-promoted']);
    };
  }
  // The standby cloned its primary with pg_basebackup in its entry script.
  await waitStandbyStreaming({ host: ctx.endpointHost, port: ctx.hostPorts.direct[primary] as number }, name);
  return () => promotePostgres(info.direct, name);
}
