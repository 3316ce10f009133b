import type { Topology } from './topology.js';
import type { ProviderName, TopologySpec } from './types.js';

/** Brings up real servers behind Toxiproxy: natively here, with containers where Docker exists. */
export interface Provider {
  readonly name: ProviderName;
  /** Starts the services the spec asks for (and the primaries of requested replicas). */
  up(spec: TopologySpec): Promise<Topology>;
  /** Tears down every topology this provider started. */
  down(): Promise<void>;
}
