import { isReplica } from './spec.js';
import type { ToxiproxyControl } from './toxiproxy/control.js';
import type { HandleByName, ProviderName, ServiceHandle, ServiceName, TopologyInfo } from './types.js';

/** A running set of services behind Toxiproxy, as returned by Provider.up / startTopology. */
export interface Topology {
  readonly provider: ProviderName;
  /** Fault injection on this topology's proxies. */
  readonly toxiproxy: ToxiproxyControl;
  /** Native provider: temp root with every data dir and log. */
  readonly root: string | undefined;
  /** The services running, in start order. */
  readonly names: readonly ServiceName[];
  has(name: ServiceName): boolean;
  /** The handle of a started service; throws (naming what was started) otherwise. */
  get<N extends ServiceName>(name: N): HandleByName[N];
  /** Serialisable snapshot: endpoints, credentials, Toxiproxy URL. */
  info(): TopologyInfo;
  /** Stops every service and Toxiproxy; removes the temp root unless keepData. Idempotent. */
  down(): Promise<void>;
}

/** What a provider adds to TopologyInfo beyond the services (testcontainers: images and session). */
export type TopologyExtras = Pick<TopologyInfo, 'images' | 'imageSet' | 'session'>;

/** The Topology both providers return: handles plus a teardown. */
export class RunningTopology implements Topology {
  private teardown: Promise<void> | undefined;

  constructor(
    readonly provider: ProviderName,
    readonly toxiproxy: ToxiproxyControl,
    private readonly handles: ReadonlyMap<ServiceName, ServiceHandle>,
    private readonly stopAll: () => Promise<void>,
    readonly root: string | undefined = undefined,
    private readonly extras: TopologyExtras = {},
  ) {}

  get names(): ServiceName[] {
    return [...this.handles.keys()];
  }

  has(name: ServiceName): boolean {
    return this.handles.has(name);
  }

  get<N extends ServiceName>(name: N): HandleByName[N] {
    const handle = this.handles.get(name);
    if (!handle) throw new Error(`service "${name}" is not part of this topology (started: ${this.names.join(', ')}); add it to the spec`);
    if (isReplica(name) && !('promote' in handle)) throw new Error(`service "${name}" has no promote()`);
    return handle as HandleByName[N];
  }

  info(): TopologyInfo {
    return {
      provider: this.provider,
      toxiproxyUrl: this.toxiproxy.url,
      services: [...this.handles.values()].map((h) => h.info()),
      ...(this.root ? { root: this.root } : {}),
      ...this.extras,
    };
  }

  down(): Promise<void> {
    this.teardown ??= this.stopAll();
    return this.teardown;
  }
}
