import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { cachePaths, type CachePaths } from '../cache-paths.js';
import { allocatePort } from '../ports.js';
import type { ManagedProcess } from '../process/managed-process.js';
import type { Provider } from '../provider.js';
import { traced } from '../debug.js';
import { PRIMARY_OF, isReplica, resolveServices } from '../spec.js';
import { RunningTopology, type Topology } from '../topology.js';
import { ToxiproxyControl } from '../toxiproxy/control.js';
import type { ServiceName, TopologySpec } from '../types.js';
import { NativeReplica, NativeService } from './native-service.js';
import { planServices } from './service-plan.js';
import { createTempRoot, keepTempRoot } from './temp-roots.js';
import { startToxiproxyServer } from './toxiproxy-server.js';

export interface NativeProviderOptions {
  readonly paths?: CachePaths;
  /** Parent of the per-topology temp root; defaults to the OS temp dir. */
  readonly tmpRoot?: string;
}

const STOP_GRACE_MS = 10_000;

/** Runs every server as a child process of this Node process, on free 127.0.0.1 ports. */
export class NativeProvider implements Provider {
  readonly name = 'native' as const;
  private readonly topologies = new Set<Topology>();
  private readonly paths: CachePaths;

  constructor(private readonly options: NativeProviderOptions = {}) {
    this.paths = options.paths ?? cachePaths();
  }

  async up(spec: TopologySpec): Promise<Topology> {
    const names = resolveServices(spec.services);
    const keepData = spec.keepData ?? process.env.TIDEMARK_KEEP_DATA === '1';
    const root = await createTempRoot(this.options.tmpRoot ?? tmpdir());
    const handles = new Map<ServiceName, NativeService>();
    let toxiproxyProcess: ManagedProcess | undefined;
    let running: RunningTopology | undefined;

    const stopAll = async (): Promise<void> => {
      const all = [...handles.values()];
      // Replicas first, so they do not log a storm of reconnect errors at their vanished primary.
      await Promise.allSettled(all.filter((h) => isReplica(h.name)).map((h) => stopQuietly(h)));
      await Promise.allSettled(all.filter((h) => !isReplica(h.name)).map((h) => stopQuietly(h)));
      await toxiproxyProcess?.terminate('SIGTERM', STOP_GRACE_MS);
      await (keepData ? keepTempRoot(root) : rm(root, { recursive: true, force: true }));
      if (running) this.topologies.delete(running);
    };

    try {
      const plan = await planServices(names, root, this.paths);
      const toxiproxy = await startToxiproxyServer(this.paths, root, await allocatePort());
      toxiproxyProcess = toxiproxy.process;
      const control = new ToxiproxyControl(toxiproxy.url);
      for (const service of plan) {
        await control.createProxy(service.info.name, service.info.proxied, service.proxyUpstream);
        handles.set(service.info.name, isReplica(service.info.name) ? new NativeReplica(service.recipe) : new NativeService(service.recipe));
      }
      await traced('start services', () => startAllOrFail(names.map((name) => handles.get(name) as NativeService)));
      running = new RunningTopology('native', control, handles, stopAll, root);
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

async function stopQuietly(handle: NativeService): Promise<void> {
  await handle.shutdown(STOP_GRACE_MS).catch(() => handle.kill());
}

/**
 * Starts services in parallel, each replica as soon as its primary is up (not after the slowest
 * service: Kafka's JVM would otherwise hold the replicas back). If one fails, waits for the
 * others to settle, then rethrows.
 */
async function startAllOrFail(services: readonly NativeService[]): Promise<void> {
  const starting = new Map<ServiceName, Promise<void>>();
  for (const service of services) {
    const after = isReplica(service.name) ? starting.get(PRIMARY_OF[service.name]) : undefined;
    starting.set(service.name, after ? after.then(() => service.start()) : service.start());
  }
  const results = await Promise.allSettled(services.map((s) => starting.get(s.name) as Promise<void>));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${services[i].name}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
  if (failures.length > 0) throw new Error(`could not start ${failures.length} service(s):\n${failures.join('\n')}`);
}
