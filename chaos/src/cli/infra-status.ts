import { checkHealth } from '../infra/health.js';
import { pidAlive } from '../infra/process/pid-status.js';
import { readInfraState } from '../infra/state-file.js';
import { topologyFooter, topologyTable } from './topology-table.js';

/** `infra status`: exit 0 when every service is healthy, 1 when one is not, 3 when nothing is up. */
export async function infraStatus(options: { stateFile: string; json: boolean }): Promise<number> {
  const state = await readInfraState(options.stateFile);
  if (!state) {
    console.error(`no topology recorded in ${options.stateFile}: start one with \`tidemark-chaos infra up\``);
    return 3;
  }
  if (!pidAlive(state.ownerPid)) console.error(`warning: the \`infra up\` process (pid ${state.ownerPid}) is gone; its servers may be too`);
  const health = await Promise.all(state.topology.services.map(checkHealth));
  if (options.json) {
    console.log(JSON.stringify({ ...state, health: health.map((h) => ({ service: h.service.name, health: h.health, detail: h.detail })) }, null, 2));
  } else {
    console.log(topologyTable(state.topology, health));
    console.log(`\n${topologyFooter(state.topology)}`);
    for (const h of health.filter((x) => x.detail)) console.log(`${h.service.name}: ${h.detail}`);
  }
  return health.every((h) => h.health === 'healthy') ? 0 : 1;
}
