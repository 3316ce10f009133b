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

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Resolves on the first SIGINT/SIGTERM/SIGHUP. The handlers stay registered until `release`
 * (after the teardown): a library's exit hook (signal-exit, via testcontainers' file locks)
 * re-raises a signal that no other listener handles, which would kill us mid-teardown.
 * A timer keeps the process alive meanwhile: with containers nothing else may (native servers
 * are child processes, but a container is no handle of ours), and an empty event loop would end
 * the process, whose session reaper would then remove the topology under the user's feet.
 */
function untilSignal(): { received: Promise<NodeJS.Signals>; release: () => void } {
  let handler: (sig: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    handler = (sig) => resolve(sig);
  });
  for (const sig of SIGNALS) process.on(sig, handler);
  const keepAlive = setInterval(() => undefined, 60_000);
  return {
    received,
    release: () => {
      clearInterval(keepAlive);
      SIGNALS.forEach((sig) => process.off(sig, handler));
    },
  };
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
  let topology: Topology;
  try {
    topology = await startTopology({ services, keepData: options.keepData }, { provider: options.provider, ...(options.images ? { images: options.images } : {}) });
  } catch (err) {
    signal.release();
    throw err;
  }
  try {
    const info = topology.info();
    const health = await Promise.all(info.services.map(checkHealth));
    console.log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    console.log(topologyTable(info, health));
    console.log(`\n${topologyFooter(info)}`);
    await mkdir(dirname(options.stateFile), { recursive: true });
    await writeInfraState(options.stateFile, { ownerPid: process.pid, startedAt: new Date().toISOString(), topology: info, processes: serverProcesses(topology) });
    console.log(`\nstate: ${options.stateFile}\nCtrl-C (or \`tidemark-chaos infra down\`) tears it down.`);
    const received = await signal.received;
    console.log(`\n${received}: tearing down …`);
  } finally {
    await topology.down();
    await removeInfraState(options.stateFile);
    signal.release();
  }
  console.log('down.');
  return 0;
}
