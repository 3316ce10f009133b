import { GenericContainer, Network, Wait, getContainerRuntimeClient, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { MARIADB_CDC, MARIADB_ROOT } from '../native/mariadb-sql.js';
import { POSTGRES_SUPERUSER } from '../native/postgres.js';
import { mysqlRun, pgRun } from '../native/sql-clients.js';
import { allocatePort } from '../ports.js';
import { probeFor } from '../probes.js';
import type { Provider } from '../provider.js';
import { waitUntilReady } from '../readiness.js';
import { KIND_OF, PRIMARY_OF, isReplica, resolveServices } from '../spec.js';
import { RunningTopology, type Topology } from '../topology.js';
import { ToxiproxyControl } from '../toxiproxy/control.js';
import type { Endpoint, ServiceInfo, ServiceName, TopologySpec } from '../types.js';
import { ContainerService } from './container-service.js';
import { CONTAINER_PORTS, serviceContainerSpec, toxiproxyContainerSpec, toxiproxyProxies, type ContainerSpec, type HostPorts } from './container-specs.js';
import { MYSQL8_PROMOTE_SQL, mysql8FollowSql } from './mysql8-sql.js';

function toContainer(spec: ContainerSpec, network: StartedNetwork): GenericContainer {
  let container = new GenericContainer(spec.image)
    .withNetwork(network)
    .withNetworkAliases(spec.alias)
    .withEnvironment({ ...spec.env })
    .withExposedPorts(...spec.ports.map((p) => ({ container: p.container, host: p.host })))
    .withStartupTimeout(180_000)
    .withWaitStrategy(spec.readyLog ? Wait.forLogMessage(spec.readyLog) : Wait.forListeningPorts());
  if (spec.command) container = container.withCommand([...spec.command]);
  if (spec.entrypoint) container = container.withEntrypoint([...spec.entrypoint]);
  if (spec.user) container = container.withUser(spec.user);
  if (spec.files.length > 0) container = container.withCopyContentToContainer(spec.files.map((f) => ({ content: f.content, target: f.target })));
  return container;
}

/**
 * The same topology from images, for hosts with a Docker engine. It cannot run on machines
 * without one (like the project's CI); its container specs are unit-tested instead.
 */
export class TestcontainersProvider implements Provider {
  readonly name = 'testcontainers' as const;
  private readonly topologies = new Set<Topology>();

  async up(spec: TopologySpec): Promise<Topology> {
    const services = resolveServices(spec.services);
    const runtime = await getContainerRuntimeClient();
    const host = runtime.info.containerRuntime.host;
    const network = await new Network().start();
    const containers: StartedTestContainer[] = [];
    const handles = new Map<ServiceName, ContainerService>();
    let running: RunningTopology | undefined;
    const stopAll = async (): Promise<void> => {
      await Promise.allSettled(containers.map((c) => c.stop({ timeout: 10_000 })));
      await network.stop().catch(() => undefined);
      if (running) this.topologies.delete(running);
    };
    try {
      const hostPorts: HostPorts = {
        direct: Object.fromEntries(await Promise.all(services.map(async (s) => [s, await allocatePort()] as const))),
        proxy: Object.fromEntries(await Promise.all(services.map(async (s) => [s, await allocatePort()] as const))),
        toxiproxyApi: await allocatePort(),
      };
      const ctx = { services, hostPorts, advertisedHost: host };
      containers.push(await toContainer(toxiproxyContainerSpec(ctx), network).start());
      const control = new ToxiproxyControl(`http://${host}:${hostPorts.toxiproxyApi}`);
      for (const proxy of toxiproxyProxies(services)) await control.createProxy(proxy.name, proxy.listen, proxy.upstream);

      const startOne = async (name: ServiceName): Promise<void> => {
        const spec = serviceContainerSpec(name, ctx);
        const container = await toContainer(spec, network).start();
        containers.push(container);
        const endpoint = (port: number | undefined): Endpoint => ({ host, port: port ?? 0 });
        const info: ServiceInfo = {
          name, kind: KIND_OF[name], direct: endpoint(hostPorts.direct[name]), proxied: endpoint(hostPorts.proxy[name]),
          location: `container ${container.getName()}`,
          ...(KIND_OF[name] === 'mysql' ? { credentials: MARIADB_ROOT, cdcCredentials: MARIADB_CDC } : {}),
          ...(KIND_OF[name] === 'postgres' ? { credentials: POSTGRES_SUPERUSER, cdcCredentials: POSTGRES_SUPERUSER } : {}),
          ...(isReplica(name) ? { replicaOf: PRIMARY_OF[name] } : {}),
        };
        const probe = (): Promise<void> => probeFor(info.kind, info.direct, info.credentials);
        await waitUntilReady(probe, { what: name, timeoutMs: 120_000, intervalMs: 200 });
        handles.set(name, new ContainerService(info, container, runtime, probe, await wireReplica(name, info)));
      };
      const starting = new Map<ServiceName, Promise<void>>();
      for (const name of services) {
        const after = isReplica(name) ? starting.get(PRIMARY_OF[name]) : undefined;
        starting.set(name, after ? after.then(() => startOne(name)) : startOne(name));
      }
      await Promise.all(starting.values());
      running = new RunningTopology('testcontainers', control, new Map(services.map((s) => [s, handles.get(s) as ContainerService])), stopAll);
      this.topologies.add(running);
      return running;
    } catch (err) {
      await stopAll();
      throw err;
    }
  }

  async down(): Promise<void> {
    await Promise.all([...this.topologies].map((t) => t.down()));
  }
}

/** Points a replica at its primary (by network alias) and returns its promotion. */
async function wireReplica(name: ServiceName, info: ServiceInfo): Promise<(() => Promise<void>) | undefined> {
  if (!isReplica(name)) return undefined;
  if (KIND_OF[name] === 'mysql') {
    await mysqlRun(info.direct, MARIADB_ROOT, mysql8FollowSql(PRIMARY_OF[name], CONTAINER_PORTS.mysql));
    return async () => {
      await mysqlRun(info.direct, MARIADB_ROOT, MYSQL8_PROMOTE_SQL);
    };
  }
  // The standby container cloned itself with pg_basebackup in its entrypoint.
  return async () => {
    await pgRun(info.direct, POSTGRES_SUPERUSER, ['SELECT pg_promote(true, 60)']);
  };
}
