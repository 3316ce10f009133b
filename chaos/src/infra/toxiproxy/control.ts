import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import type { Endpoint, ServiceName } from '../types.js';
import { toxicBody, type ToxicSpec } from './toxics.js';

/** A proxy as Toxiproxy reports it. */
export interface ProxyState {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly { name: string; type: string; stream: string; toxicity: number; attributes: unknown }[];
}

const hostPort = (endpoint: Endpoint | string): string => (typeof endpoint === 'string' ? endpoint : `${endpoint.host}:${endpoint.port}`);

/**
 * Fault injection on the proxies of a topology. Proxy names are service names
 * (`mysql`, `mysql-b`, `postgres`, `postgres-b`, `kafka`, `redis`, `nats`).
 */
export class ToxiproxyControl {
  private readonly client: Toxiproxy;

  constructor(readonly url: string) {
    this.client = new Toxiproxy(url);
  }

  /** Toxiproxy's version string; doubles as a health check. */
  version(): Promise<string> {
    return this.client.getVersion();
  }

  /** Creates (or replaces) a proxy listening on `listen` and forwarding to `upstream`. */
  async createProxy(name: string, listen: Endpoint | string, upstream: Endpoint | string): Promise<void> {
    const existing = await this.client.getAll();
    if (existing[name]) await existing[name].remove();
    await this.client.createProxy({ name, listen: hostPort(listen), upstream: hostPort(upstream), enabled: true });
  }

  /** Every proxy with its toxics (the client's Proxy objects leave the toxics out). */
  async proxies(): Promise<ProxyState[]> {
    const { data } = await this.client.getApi().get<Record<string, ProxyState>>(`${this.url}/proxies`);
    return Object.values(data).sort((a, b) => a.name.localeCompare(b.name));
  }

  async proxy(name: ServiceName | string): Promise<ProxyState> {
    await this.get(name);
    const { data } = await this.client.getApi().get<ProxyState>(`${this.url}/proxies/${encodeURIComponent(name)}`);
    return data;
  }

  /** Disables the proxy: open connections are closed and new ones are refused. */
  async down(name: ServiceName | string): Promise<void> {
    await this.update(name, { enabled: false });
  }

  async up(name: ServiceName | string): Promise<void> {
    await this.update(name, { enabled: true });
  }

  /** Adds a toxic and returns its name (for removeToxic). */
  async addToxic(name: ServiceName | string, spec: ToxicSpec): Promise<string> {
    const body = toxicBody(spec);
    await (await this.get(name)).addToxic(body);
    return body.name;
  }

  async removeToxic(name: ServiceName | string, toxicName: string): Promise<void> {
    await this.client.getApi().delete(`${this.url}/proxies/${encodeURIComponent(name)}/toxics/${encodeURIComponent(toxicName)}`);
  }

  /** Removes every toxic from one proxy (leaves it enabled or disabled as it was). */
  async clearToxics(name: ServiceName | string): Promise<void> {
    const state = await this.proxy(name);
    for (const toxic of state.toxics) await this.removeToxic(name, toxic.name);
  }

  /** Re-enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    await this.client.reset();
  }

  /**
   * Points a proxy at another server, e.g. `mysql` at `mysql-b` after a failover. Toxiproxy
   * restarts the listener, so existing client connections through it are dropped.
   */
  async switchUpstream(name: ServiceName | string, upstream: Endpoint | string): Promise<void> {
    await this.update(name, { upstream: hostPort(upstream) });
  }

  /** Convenience wrappers, one per toxic, so call sites read like the fault they inject. */
  latency(name: string, latencyMs: number, opts: Omit<Extract<ToxicSpec, { type: 'latency' }>, 'type' | 'latencyMs'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'latency', latencyMs });
  }
  bandwidth(name: string, rateKBps: number, opts: Omit<Extract<ToxicSpec, { type: 'bandwidth' }>, 'type' | 'rateKBps'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'bandwidth', rateKBps });
  }
  slowClose(name: string, delayMs: number, opts: Omit<Extract<ToxicSpec, { type: 'slow_close' }>, 'type' | 'delayMs'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'slow_close', delayMs });
  }
  timeout(name: string, timeoutMs: number, opts: Omit<Extract<ToxicSpec, { type: 'timeout' }>, 'type' | 'timeoutMs'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'timeout', timeoutMs });
  }
  resetPeer(name: string, timeoutMs = 0, opts: Omit<Extract<ToxicSpec, { type: 'reset_peer' }>, 'type' | 'timeoutMs'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'reset_peer', timeoutMs });
  }
  slicer(name: string, averageSize: number, opts: Omit<Extract<ToxicSpec, { type: 'slicer' }>, 'type' | 'averageSize'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'slicer', averageSize });
  }
  limitData(name: string, bytes: number, opts: Omit<Extract<ToxicSpec, { type: 'limit_data' }>, 'type' | 'bytes'> = {}): Promise<string> {
    return this.addToxic(name, { ...opts, type: 'limit_data', bytes });
  }

  private async get(name: string): Promise<Proxy> {
    try {
      return await this.client.get(name);
    } catch (err) {
      const known = Object.keys(await this.client.getAll().catch(() => ({}))).join(', ') || 'none';
      throw new Error(`no Toxiproxy proxy "${name}" at ${this.url} (proxies: ${known}): start the topology with that service`, { cause: err });
    }
  }

  private async update(name: string, change: Partial<{ enabled: boolean; upstream: string }>): Promise<void> {
    const proxy = await this.get(name);
    await proxy.update({ enabled: change.enabled ?? proxy.enabled, listen: proxy.listen, upstream: change.upstream ?? proxy.upstream });
  }
}
