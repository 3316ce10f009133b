import { mkdtemp, readdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive, processStartTime } from '../process/pid-status.js';

const PREFIX = 'tidemark-infra-';
const OWNER_FILE = 'owner.json';

interface Owner {
  readonly pid: number;
  readonly startTime: number | undefined;
}

/**
 * A temp root for one topology, stamped with its owner process. Servers never outlive their
 * owner (parent-death signal), but a SIGKILLed owner cannot delete its root: the next topology
 * started on the machine removes roots whose owner is gone.
 */
export async function createTempRoot(parent: string): Promise<string> {
  await sweepAbandonedRoots(parent);
  const root = await mkdtemp(join(parent, PREFIX));
  // Postgres runs as user postgres and must be able to reach its data dir below this root.
  await chmod(root, 0o755);
  const owner: Owner = { pid: process.pid, startTime: processStartTime(process.pid) };
  await writeFile(join(root, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  return root;
}

/** Keeps a root for post-mortems (keepData): without an owner stamp it is never swept. */
export async function keepTempRoot(root: string): Promise<void> {
  await rm(join(root, OWNER_FILE), { force: true });
}

async function ownerAlive(root: string): Promise<boolean> {
  const text = await readFile(join(root, OWNER_FILE), 'utf8').catch(() => undefined);
  // No owner file yet: a root being created right now by another process; leave it.
  if (text === undefined) return true;
  const owner = JSON.parse(text) as Owner;
  return pidAlive(owner.pid) && processStartTime(owner.pid) === owner.startTime;
}

export async function sweepAbandonedRoots(parent: string): Promise<void> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith(PREFIX))) {
    const root = join(parent, entry);
    if (!(await ownerAlive(root).catch(() => true))) await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}
