import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { TopologyInfo } from './types.js';

/** A PID plus its kernel start time, which tells it apart from a later process reusing the PID. */
export interface RecordedProcess {
  readonly service: string;
  readonly pid: number;
  readonly startTime: number | undefined;
}

/** What `infra up` leaves behind so `infra status|down` in another terminal can find the topology. */
export interface InfraState {
  /** PID of the `tidemark-chaos infra up` process that owns the servers. */
  readonly ownerPid: number;
  readonly startedAt: string;
  readonly topology: TopologyInfo;
  /** Server processes (native), so `down` can clean up if the owner died without doing so. */
  readonly processes: readonly RecordedProcess[];
}

export async function writeInfraState(file: string, state: InfraState): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}

/** The recorded state, or undefined when no `infra up` is recorded. */
export async function readInfraState(file: string): Promise<InfraState | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as InfraState;
  } catch {
    throw new Error(`${file} is not valid JSON; delete it if no \`infra up\` is running`);
  }
}

export async function removeInfraState(file: string): Promise<void> {
  await rm(file, { force: true });
}
