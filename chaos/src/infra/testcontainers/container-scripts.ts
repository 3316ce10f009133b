import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTAINER_SCRIPTS_DIR } from '../repo-paths.js';

/**
 * The entry scripts the containers run (docker/scripts): the same files docker-compose.chaos.yml
 * mounts, so both bring the servers up the same way whichever image runs them.
 */
export const CONTAINER_SCRIPT_NAMES = ['mysql-server.sh', 'mysql-init.sql', 'postgres-server.sh', 'kafka-server.sh'] as const;
export type ContainerScripts = Readonly<Record<(typeof CONTAINER_SCRIPT_NAMES)[number], string>>;

let loaded: Promise<ContainerScripts> | undefined;

export function loadContainerScripts(dir: string = CONTAINER_SCRIPTS_DIR): Promise<ContainerScripts> {
  const load = async (): Promise<ContainerScripts> => {
    const entries = await Promise.all(
      CONTAINER_SCRIPT_NAMES.map(async (name) => {
        const text = await readFile(join(dir, name), 'utf8').catch(() => {
          throw new Error(`container script ${join(dir, name)} is missing: the testcontainers provider runs from a repository checkout`);
        });
        return [name, text] as const;
      }),
    );
    return Object.fromEntries(entries) as ContainerScripts;
  };
  if (dir !== CONTAINER_SCRIPTS_DIR) return load();
  loaded ??= load();
  return loaded;
}
