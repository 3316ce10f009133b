import type { EngineProcess } from '../engine/engine-process.js';
import { checkHealth } from '../infra/health.js';
import { probeToxiproxy } from '../infra/probes.js';
import type { Topology } from '../infra/topology.js';
import type { ProxyState } from '../infra/toxiproxy/control.js';
import type { EngineView, ServiceView } from './protocol.js';

const addr = (e: { host: string; port: number }) => `${e.host}:${e.port}`;

/**
 * Every service of the topology as the services panel shows it: whether its process runs, what
 * the real client libraries see directly and through its proxy (the same probes as `infra
 * status`), and its proxy's state and toxics. Toxiproxy itself is listed too.
 */
export async function serviceViews(topology: Topology, primaries: ReadonlySet<string>, controllable: boolean): Promise<ServiceView[]> {
  const proxies = await topology.toxiproxy.proxies().catch(() => [] as ProxyState[]);
  const proxyOf = new Map(proxies.map((p) => [p.name, p]));
  const views = await Promise.all(
    topology.names.map(async (name): Promise<ServiceView> => {
      const handle = topology.get(name);
      const info = handle.info();
      const pid = handle.pid ?? null;
      const proxy = proxyOf.get(name);
      const health = controllable && pid === null ? { health: 'stopped' as const } : await checkHealth(info);
      const role = info.kind === 'mysql' || info.kind === 'postgres' ? (primaries.has(name) ? 'primary' : 'replica') : 'server';
      return {
        name, kind: info.kind, role, ...(info.replicaOf ? { replicaOf: info.replicaOf } : {}), pid, health: health.health,
        ...('detail' in health && health.detail ? { detail: health.detail } : {}),
        direct: addr(info.direct), proxied: addr(info.proxied),
        proxy: proxy ? { enabled: proxy.enabled, toxics: proxy.toxics } : null,
        controllable,
      };
    }),
  );
  const toxi = await probeToxiproxy(topology.toxiproxy.url).then(() => undefined, (e: Error) => e.message);
  const url = new URL(topology.toxiproxy.url);
  views.push({ name: 'toxiproxy', kind: 'toxiproxy', role: 'server', pid: null, health: toxi === undefined ? 'healthy' : 'down', ...(toxi ? { detail: toxi } : {}), direct: url.host, proxied: url.host, proxy: null, controllable: false });
  const http = proxyOf.get('http');
  if (http) views.push({ name: 'http', kind: 'http receiver', role: 'server', pid: process.pid, health: 'healthy', direct: http.upstream, proxied: http.listen, proxy: { enabled: http.enabled, toxics: http.toxics }, controllable: false });
  return views;
}

export async function engineView(id: string, label: string, engine: EngineProcess): Promise<EngineView> {
  if (!engine.running) return { id, label, pid: null, running: false, health: null, pipelines: [] };
  const health = await engine.api.health().then((h) => h.status, () => null);
  const pipelines = await engine.api.listPipelines().then((l) => l.map((p) => ({ name: p.name, status: p.status })), () => []);
  return { id, label, pid: engine.pid ?? null, running: true, health, pipelines };
}
