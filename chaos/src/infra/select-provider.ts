import { request } from 'node:http';
import type { ProviderName } from './types.js';

export type ProviderChoice = ProviderName | 'auto';

/** The Docker engine socket testcontainers would use ($DOCKER_HOST unix:// or the default). */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/** True when a Docker engine answers /_ping on its socket within a second (a client binary alone is not enough). */
export function dockerAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const socketPath = dockerSocketPath(env);
  if (!socketPath) return Promise.resolve(env.DOCKER_HOST !== undefined);
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * The provider a choice names, looking only at whether a Docker engine answers: auto →
 * testcontainers if one does, else native; TIDEMARK_PROVIDER overrides auto. Whether its images
 * can be had is decided on top of this by chooseProvider (choose-provider.ts).
 */
export async function selectProvider(
  choice: ProviderChoice = 'auto',
  env: NodeJS.ProcessEnv = process.env,
  docker: (env: NodeJS.ProcessEnv) => Promise<boolean> = dockerAvailable,
): Promise<ProviderName> {
  const effective = choice === 'auto' ? (env.TIDEMARK_PROVIDER as ProviderChoice | undefined) ?? 'auto' : choice;
  if (effective === 'native' || effective === 'testcontainers') return effective;
  if (effective !== 'auto') throw new Error(`unknown provider "${effective}": use native, testcontainers or auto`);
  return (await docker(env)) ? 'testcontainers' : 'native';
}
