import { ImagesUnavailableError } from './images/availability.js';
import type { ImageChoice } from './images/image-choice.js';
import { dockerAvailable, dockerSocketPath, selectProvider, type ProviderChoice } from './select-provider.js';
import type { ProviderName, ServiceName } from './types.js';

export interface ProviderDecision {
  readonly provider: ProviderName;
  /** Why auto did not use Docker although an engine answers (printed once). */
  readonly notice?: string;
}

/** What the decision needs from the outside world (injectable for unit tests). */
export interface DecisionDeps {
  readonly dockerAvailable: (env: NodeJS.ProcessEnv) => Promise<boolean>;
  /** Resolves the topology's images and makes sure they are here; throws ImagesUnavailableError. */
  readonly ensureImages: (services: readonly ServiceName[], images: ImageChoice | undefined) => Promise<unknown>;
}

const defaultDeps: DecisionDeps = {
  dockerAvailable,
  ensureImages: async (services, images) => (await import('./testcontainers/topology-images.js')).topologyImages(services, images),
};

/**
 * Which provider runs a topology. `native` and `testcontainers` are obeyed, and the latter
 * fails at once with one message when it cannot work (no engine, or an image that can be neither
 * found nor pulled: named, with the reason and what to do), instead of a raw registry error per
 * test. `auto` picks testcontainers when a Docker engine answers AND its images can be had;
 * when they cannot, it says so once and uses native: a machine with Docker but no images (or no
 * registry) still gets a passing suite from the servers `tidemark-chaos setup` installed.
 */
export async function chooseProvider(
  choice: ProviderChoice,
  services: readonly ServiceName[],
  images: ImageChoice | undefined,
  env: NodeJS.ProcessEnv = process.env,
  deps: DecisionDeps = defaultDeps,
): Promise<ProviderDecision> {
  const explicit = choice === 'auto' ? (env.TIDEMARK_PROVIDER as ProviderChoice | undefined) ?? 'auto' : choice;
  const picked = await selectProvider(explicit, env, deps.dockerAvailable);
  if (picked === 'native') return { provider: 'native' };
  if (explicit === 'testcontainers' && !(await deps.dockerAvailable(env))) {
    const where = env.DOCKER_HOST ?? `unix://${dockerSocketPath(env)}`;
    throw new Error(`--provider testcontainers: no Docker engine answers at ${where}; start it (e.g. \`dockerd &\`) or use --provider native`);
  }
  try {
    await deps.ensureImages(services, images);
    return { provider: 'testcontainers' };
  } catch (err) {
    if (explicit === 'testcontainers' || !(err instanceof ImagesUnavailableError)) throw err;
    const missing = err.problems.map((p) => `${p.image.ref}: ${p.reason}`).join('; ');
    return {
      provider: 'native',
      notice:
        `tidemark: a Docker engine answers, but container images cannot be had (${missing}); using the native provider. ` +
        'To run on containers: `npx tidemark-chaos images build`, then --provider testcontainers.',
    };
  }
}
