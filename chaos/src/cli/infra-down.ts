import { rm } from 'node:fs/promises';
import { pidAlive, processStartTime } from '../infra/process/pid-status.js';
import { dockerAvailable } from '../infra/select-provider.js';
import { readInfraState, removeInfraState, type InfraState } from '../infra/state-file.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Containers of sessions whose owner died (the recorded one, and any other a crash left behind);
 * only when a Docker engine answers.
 */
async function removeDeadContainers(): Promise<number> {
  if (!(await dockerAvailable())) return 0;
  const [{ dockerRuntime }, { sweepDeadSessions }] = await Promise.all([import('../infra/testcontainers/docker-runtime.js'), import('../infra/testcontainers/sessions.js')]);
  return (await sweepDeadSessions((await dockerRuntime()).container.dockerode)).length;
}

/** The owner died without tearing down: SIGKILL the servers it recorded, if they are still ours. */
async function killLeftovers(state: InfraState): Promise<void> {
  for (const { pid, startTime } of state.processes) {
    // PIDs get reused; only kill the very process that was recorded.
    if (!pidAlive(pid) || processStartTime(pid) !== startTime) continue;
    process.kill(pid, 'SIGKILL');
  }
  if (state.topology.root) await rm(state.topology.root, { recursive: true, force: true });
}

/** `infra down`: ask the `infra up` process to tear down (SIGTERM) and wait for it. */
export async function infraDown(options: { stateFile: string }): Promise<number> {
  const state = await readInfraState(options.stateFile);
  if (!state) {
    const swept = await removeDeadContainers();
    console.log(`nothing to stop: no topology recorded in ${options.stateFile}${swept > 0 ? `; removed the containers of ${swept} dead session(s)` : ''}`);
    return 0;
  }
  if (pidAlive(state.ownerPid)) {
    process.kill(state.ownerPid, 'SIGTERM');
    if (await waitForExit(state.ownerPid, 60_000)) {
      console.log(`stopped (owner pid ${state.ownerPid} tore the topology down)`);
      await removeInfraState(options.stateFile);
      return 0;
    }
    console.error(`owner pid ${state.ownerPid} did not exit within 60 s; killing it and its servers`);
    process.kill(state.ownerPid, 'SIGKILL');
  }
  await killLeftovers(state);
  const swept = await removeDeadContainers();
  await removeInfraState(options.stateFile);
  console.log(`stopped leftover servers${swept > 0 ? ` (containers of ${swept} dead session(s))` : ''}`);
  return 0;
}
