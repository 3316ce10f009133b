import { checkHealth } from '../infra/health.js';
import { pidAlive, processStartTime } from '../infra/process/pid-status.js';
import { isReplica } from '../infra/spec.js';
import type { InfraState } from '../infra/state-file.js';
import type { Topology } from '../infra/topology.js';
import { ToxiproxyControl } from '../infra/toxiproxy/control.js';
import type { HandleByName, ReplicaHandle, ServiceHandle, ServiceInfo, ServiceName, TopologyInfo } from '../infra/types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A service of a topology that `tidemark-chaos infra up` runs in another process: it can be
 * probed, stopped and killed (by its recorded PID, checked against its start time), but only
 * its owner can start it again.
 */
class AttachedService implements ReplicaHandle {
  constructor(
    private readonly i: ServiceInfo,
    private readonly recorded: { pid: number; startTime: number | undefined } | undefined,
    private readonly ownerPid: number,
  ) {}

  get name() { return this.i.name; }
  get kind() { return this.i.kind; }
  get direct() { return this.i.direct; }
  get proxied() { return this.i.proxied; }
  get credentials() { return this.i.credentials; }
  get cdcCredentials() { return this.i.cdcCredentials; }
  get replicaOf() { return this.i.replicaOf; }
  get location() { return this.i.location; }

  get pid(): number | undefined {
    const r = this.recorded;
    return r && pidAlive(r.pid) && processStartTime(r.pid) === r.startTime ? r.pid : undefined;
  }

  info(): ServiceInfo {
    return this.i;
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    process.kill(pid, sig);
    for (let i = 0; i < 300 && pidAlive(pid); i++) await sleep(100);
  }

  stop(): Promise<void> {
    return this.signal(this.i.kind === 'postgres' ? 'SIGINT' : 'SIGTERM');
  }

  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  async start(): Promise<void> {
    if (await this.isUp()) return;
    throw new Error(`${this.name} belongs to \`tidemark-chaos infra up\` (pid ${this.ownerPid}); restart that to bring it back`);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async isUp(): Promise<boolean> {
    return (await checkHealth(this.i)).health !== 'down';
  }

  async logs(): Promise<string> {
    return `(logs of ${this.name} are in ${this.location ?? 'the infra up process'})`;
  }

  async promote(): Promise<void> {
    throw new Error(`${this.name} belongs to \`infra up\`; promote it from a scenario run on your own topology`);
  }
}

/** The topology an `infra up` process recorded in its state file; down() leaves it running. */
export function attachedTopology(state: InfraState): Topology {
  const info: TopologyInfo = state.topology;
  const handles = new Map<ServiceName, ServiceHandle>(
    info.services.map((s) => [s.name, new AttachedService(s, state.processes.find((p) => p.service === s.name), state.ownerPid)]),
  );
  const toxiproxy = new ToxiproxyControl(info.toxiproxyUrl);
  return {
    provider: info.provider,
    toxiproxy,
    root: info.root,
    names: [...handles.keys()],
    has: (name) => handles.has(name),
    get<N extends ServiceName>(name: N): HandleByName[N] {
      const handle = handles.get(name);
      if (!handle) throw new Error(`service "${name}" is not part of the attached topology (${[...handles.keys()].join(', ')})`);
      if (isReplica(name) && !('promote' in handle)) throw new Error(`service "${name}" has no promote()`);
      return handle as HandleByName[N];
    },
    info: () => info,
    down: async () => undefined,
  };
}
