import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkHealth } from '../infra/health.js';
import { pidAlive, processStartTime } from '../infra/process/pid-status.js';
import type { ImageChoice } from '../infra/images/image-choice.js';
import type { ProviderChoice } from '../infra/select-provider.js';
import { resolveServices } from '../infra/spec.js';
import { startTopology } from '../infra/start-topology.js';
import { readInfraState, removeInfraState, writeInfraState, type RecordedProcess } from '../infra/state-file.js';
import type { Topology } from '../infra/topology.js';
import { topologyFooter, topologyTable } from './topology-table.js';

export interface InfraUpOptions {
  readonly stateFile: string;
  readonly services: readonly string[];
  readonly provider: ProviderChoice;
  readonly images?: ImageChoice;
  readonly keepData: boolean;
}

/** Native servers, so `infra down` can kill them if this process dies (containers are found by their labels instead). */
function serverProcesses(topology: Topology): RecordedProcess[] {
  if (topology.provider !== 'native') return [];
  return topology.names.flatMap((service) => {
    const pid = topology.get(service).pid;
    return pid === undefined ? [] : [{ service, pid, startTime: processStartTime(pid) }];
  });
}

/** Resolves on the first SIGINT/SIGTERM/SIGHUP. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => resolve(sig));
  });
}

/** `infra up`: start, print the table, write the state file, wait for Ctrl-C, tear down. */
export async function infraUp(options: InfraUpOptions): Promise<number> {
  const existing = await readInfraState(options.stateFile);
  if (existing && pidAlive(existing.ownerPid)) {
    console.error(`a topology is already up (owner pid ${existing.ownerPid}, state ${options.stateFile}); run \`tidemark-chaos infra down\` first`);
    return 1;
  }
  const services = resolveServices(options.services);
  // A signal during bring-up must still tear down what already started.
  const signal = untilSignal();
  const started = Date.now();
  console.log(`starting ${services.join(', ')} …`);
  const topology = await startTopology({ services, keepData: options.keepData }, { provider: options.provider, ...(options.images ? { images: options.images } : {}) });
  try {
    const info = topology.info();
    const health = await Promise.all(info.services.map(checkHealth));
    console.log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    console.log(topologyTable(info, health));
    console.log(`\n${topologyFooter(info)}`);
    await mkdir(dirname(options.stateFile), { recursive: true });
    await writeInfraState(options.stateFile, { ownerPid: process.pid, startedAt: new Date().toISOString(), topology: info, processes: serverProcesses(topology) });
    console.log(`\nstate: ${options.stateFile}\nCtrl-C (or \`tidemark-chaos infra down\`) tears it down.`);
    const received = await signal;
    console.log(`\n${received}: tearing down …`);
  } finally {
    await topology.down();
    await removeInfraState(options.stateFile);
  }
  console.log('down.');
  return 0;
}
