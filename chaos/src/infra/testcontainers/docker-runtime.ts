import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import type { ImageOps } from '../images/availability.js';
import { dockerSocketPath } from '../select-provider.js';

/**
 * testcontainers settings this provider needs, applied unless the user set them:
 * - Ryuk off: its image must be pulled (impossible without a registry), and the provider removes
 *   its own containers (labels + a reaper process + a sweep of dead sessions, see orphans.ts).
 * - Host override `localhost` when the engine is on a local socket: in a machine that has a
 *   /.dockerenv testcontainers otherwise pulls `alpine` to find a gateway it does not need.
 */
export function applyTestcontainersDefaults(env: NodeJS.ProcessEnv = process.env): void {
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  if (dockerSocketPath(env) !== undefined) env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}

let runtime: Promise<ContainerRuntimeClient> | undefined;

/** testcontainers' client for the Docker engine (one per process). */
export function dockerRuntime(): Promise<ContainerRuntimeClient> {
  applyTestcontainersDefaults();
  runtime ??= getContainerRuntimeClient();
  return runtime;
}

/** Presence checks and pulls through dockerode, whose progress stream reports in-stream errors too. */
export function imageOps(client: ContainerRuntimeClient): ImageOps {
  const dockerode = client.container.dockerode;
  return {
    async exists(ref) {
      return dockerode.getImage(ref).inspect().then(() => true, () => false);
    },
    async pull(ref) {
      const stream = await dockerode.pull(ref);
      await new Promise<void>((resolve, reject) => {
        dockerode.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
      });
      if (!(await dockerode.getImage(ref).inspect().then(() => true, () => false))) throw new Error(`pull of ${ref} ended without the image`);
    },
  };
}
