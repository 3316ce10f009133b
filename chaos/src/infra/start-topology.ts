import { chooseProvider } from './choose-provider.js';
import type { ImageChoice } from './images/image-choice.js';
import { NativeProvider, type NativeProviderOptions } from './native/native-provider.js';
import type { Provider } from './provider.js';
import type { ProviderChoice } from './select-provider.js';
import { normaliseSpec, resolveServices } from './spec.js';
import { TestcontainersProvider } from './testcontainers/testcontainers-provider.js';
import type { Topology } from './topology.js';
import type { ProviderName, ServiceName, TopologySpec } from './types.js';

export interface StartOptions extends NativeProviderOptions {
  /** native, testcontainers, or auto (default: testcontainers if a Docker engine answers and its images can be had). */
  readonly provider?: ProviderChoice;
  /** testcontainers: local | official | auto images (default $TIDEMARK_IMAGES, else auto). */
  readonly images?: ImageChoice;
}

export function createProvider(name: ProviderName, options: StartOptions = {}): Provider {
  return name === 'native' ? new NativeProvider(options) : new TestcontainersProvider(options.images ? { images: options.images } : {});
}

const noticesShown = new Set<string>();

/**
 * Starts the requested services (plus primaries of requested replicas) behind Toxiproxy.
 * Always pair with `await topology.down()` (e.g. in afterAll).
 *
 *     const topo = await startTopology(['mysql', 'kafka']);
 */
export async function startTopology(spec: TopologySpec | readonly ServiceName[], options: StartOptions = {}): Promise<Topology> {
  const normalised = normaliseSpec(spec);
  const decision = await chooseProvider(options.provider ?? 'auto', resolveServices(normalised.services), options.images);
  if (decision.notice && !noticesShown.has(decision.notice)) {
    noticesShown.add(decision.notice);
    process.stderr.write(`${decision.notice}\n`);
  }
  return createProvider(decision.provider, options).up(normalised);
}
