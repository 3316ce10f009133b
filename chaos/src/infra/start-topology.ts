import { NativeProvider, type NativeProviderOptions } from './native/native-provider.js';
import type { Provider } from './provider.js';
import { selectProvider, type ProviderChoice } from './select-provider.js';
import { normaliseSpec } from './spec.js';
import { TestcontainersProvider } from './testcontainers/testcontainers-provider.js';
import type { Topology } from './topology.js';
import type { ProviderName, ServiceName, TopologySpec } from './types.js';

export interface StartOptions extends NativeProviderOptions {
  /** native, testcontainers, or auto (default: testcontainers if a Docker engine answers). */
  readonly provider?: ProviderChoice;
}

export function createProvider(name: ProviderName, options: NativeProviderOptions = {}): Provider {
  return name === 'native' ? new NativeProvider(options) : new TestcontainersProvider();
}

/**
 * Starts the requested services (plus primaries of requested replicas) behind Toxiproxy.
 * Always pair with `await topology.down()` (e.g. in afterAll).
 *
 *     const topo = await startTopology(['mysql', 'kafka']);
 */
export async function startTopology(spec: TopologySpec | readonly ServiceName[], options: StartOptions = {}): Promise<Topology> {
  const provider = createProvider(await selectProvider(options.provider ?? 'auto'), options);
  return provider.up(normaliseSpec(spec));
}
