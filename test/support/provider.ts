import type { ProviderName, Topology } from '../../chaos/src/infra/index.js';
import { LABELS } from '../../chaos/src/infra/testcontainers/sessions.js';
import type { ProcessLedger } from './processes.js';

/**
 * The provider the infra and runner integration tests run on: native, unless
 * TIDEMARK_PROVIDER=testcontainers (the Docker job of .ci/run runs the same files that way).
 */
export const TEST_PROVIDER: ProviderName = process.env.TIDEMARK_PROVIDER === 'testcontainers' ? 'testcontainers' : 'native';

/**
 * Records every server of a topology in the ledger: native servers are descendants of the test
 * process anyway; containers' main processes are not, but they have host PIDs all the same.
 */
export function recordServers(ledger: ProcessLedger, topology: Topology): void {
  ledger.snapshot();
  for (const name of topology.names) ledger.record(topology.get(name).pid);
}

/** Containers (any state) carrying a label, e.g. a topology's session or an owner PID; [] without Docker. */
export async function containersLabelled(label: string, value: string): Promise<string[]> {
  if (TEST_PROVIDER !== 'testcontainers') return [];
  const { dockerRuntime } = await import('../../chaos/src/infra/testcontainers/docker-runtime.js');
  const docker = (await dockerRuntime()).container.dockerode;
  const filters = { label: [`${label}=${value}`] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return [...containers.map((c) => `container ${c.Names.join(',')} (${c.State})`), ...networks.map((n) => `network ${n.Name}`)];
}

/** What is left of a topology after down(): surviving processes, and (testcontainers) its containers and network. */
export async function leftovers(ledger: ProcessLedger, topology: Topology): Promise<string[]> {
  const session = topology.info().session;
  const containers = session ? await containersLabelled(LABELS.session, session) : [];
  return [...(await ledger.survivors()).map((pid) => `pid ${pid}`), ...containers];
}
