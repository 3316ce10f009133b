import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { pidAlive, processStartTime } from '../process/pid-status.js';

/**
 * Every container and network the provider creates carries these labels, so that it can be
 * found and removed without Ryuk: by `down()`, by the session's reaper process when the harness
 * dies (reaper.ts), and by the next bring-up or `infra down` when even the reaper was killed.
 */
export const LABELS = {
  session: 'dev.tidemark.session',
  ownerPid: 'dev.tidemark.owner-pid',
  /** Kernel start time of the owner, which tells it apart from a later process reusing its PID. */
  ownerStart: 'dev.tidemark.owner-start',
  ownerHost: 'dev.tidemark.owner-host',
  service: 'dev.tidemark.service',
} as const;

export interface Session {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the session's private network. */
  readonly network: string;
}

export function newSession(pid: number = process.pid): Session {
  const id = randomUUID().slice(0, 13);
  return {
    id,
    network: `tidemark-${id}`,
    labels: {
      [LABELS.session]: id,
      [LABELS.ownerPid]: String(pid),
      [LABELS.ownerStart]: String(processStartTime(pid) ?? ''),
      [LABELS.ownerHost]: hostname(),
    },
  };
}

/**
 * Whether the process that owns labelled resources is still running. Resources made from
 * another host (a shared Docker engine) are never judged dead: their owner is not ours to see.
 */
export function ownerAlive(labels: Readonly<Record<string, string>>, host: string = hostname()): boolean {
  if (labels[LABELS.ownerHost] !== host) return true;
  const pid = Number(labels[LABELS.ownerPid]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return pidAlive(pid) && String(processStartTime(pid) ?? '') === labels[LABELS.ownerStart];
}

/** Removes (SIGKILL, with anonymous volumes) every container of a session, then its networks. */
export async function removeSession(docker: Dockerode, sessionId: string): Promise<number> {
  const filters = { label: [`${LABELS.session}=${sessionId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone)));
  const networks = await docker.listNetworks({ filters });
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreGone)));
  return containers.length;
}

/** Removes the containers and networks of every session whose owner process is gone; returns their ids. */
export async function sweepDeadSessions(docker: Dockerode): Promise<string[]> {
  const filters = { label: [LABELS.session] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  const dead = new Set<string>();
  for (const { Labels } of [...containers, ...networks]) {
    const labels = Labels ?? {};
    const session = labels[LABELS.session];
    if (session && !ownerAlive(labels)) dead.add(session);
  }
  for (const session of dead) await removeSession(docker, session);
  return [...dead];
}

/** A container or network that vanished meanwhile (404) or is already being removed (409) is fine. */
function ignoreGone(err: unknown): void {
  const status = (err as { statusCode?: number }).statusCode;
  if (status !== 404 && status !== 409) throw err;
}
