import { afterAll, beforeAll, inject } from 'vitest';
import { startTopology, type ServiceName, type StartOptions, type Topology, type TopologyInfo } from '../../chaos/src/infra/index.js';
import { waitFor } from './poll.js';

/**
 * A private topology for one test file: started in beforeAll, torn down in afterAll (also when
 * tests fail). Use it whenever a test injects faults, kills or promotes.
 *
 *     const infra = useTopology(['mysql', 'kafka']);
 *     it('...', async () => { const mysql = infra().get('mysql'); ... });
 */
export function useTopology(services: readonly ServiceName[], options: StartOptions = {}): () => Topology {
  let topology: Topology | undefined;
  beforeAll(async () => {
    topology = await startTopology(services, options);
  }, 180_000);
  afterAll(async () => {
    await topology?.down();
  }, 120_000);
  return () => {
    if (!topology) throw new Error('topology not started: its beforeAll failed (see the error above)');
    return topology;
  };
}

/**
 * Endpoints of servers shared by every test file of this `vitest run` (each service started
 * lazily by test/support/global-infra.ts the first time a file names it, torn down at the end of
 * the run; `toxiproxyUrl` is that of the first service's topology). Read-only
 * use: no toxics, kills or promotions, since other files use the same servers at the same time;
 * isolate by database/topic/stream names.
 */
export async function sharedTopology(services: readonly ServiceName[]): Promise<TopologyInfo> {
  const url = inject('tidemarkInfraUrl');
  if (!url) throw new Error('no shared infra: vitest.config.ts must list test/support/global-infra.ts in globalSetup');
  const response = await fetch(`${url}/topology?services=${encodeURIComponent(services.join(','))}`);
  if (!response.ok) throw new Error(`shared infra failed to start: ${await response.text()}`);
  return (await response.json()) as TopologyInfo;
}

/** Retries `check` until it stops throwing (replication, consumers and restarts are asynchronous). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const box = await waitFor('the check to pass', async () => ({ value: await check() }), { timeoutMs, intervalMs });
  return box.value;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared-infra broker run by test/support/global-infra.ts. */
    tidemarkInfraUrl: string;
  }
}
