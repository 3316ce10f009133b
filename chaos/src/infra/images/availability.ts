import type { ResolvedImage } from './image-choice.js';

/** What the availability check needs from a Docker engine (injectable, so messages are unit-tested). */
export interface ImageOps {
  exists(ref: string): Promise<boolean>;
  /** Pulls the image; rejects with the engine's error. */
  pull(ref: string): Promise<void>;
}

export interface ImageProblem {
  readonly image: ResolvedImage;
  /** One line: why the image cannot be had. */
  readonly reason: string;
}

export const IMAGES_REMEDY =
  'build local images with `npx tidemark-chaos images build` (then they are used automatically; force them with --images local or TIDEMARK_IMAGES=local), ' +
  'or run the servers without Docker: --provider native (TIDEMARK_PROVIDER=native)';

/** Some images of the topology are neither on this machine nor pullable. */
export class ImagesUnavailableError extends Error {
  constructor(readonly problems: readonly ImageProblem[]) {
    const lines = problems.map((p) => `  ${p.image.ref} (${p.image.key}, ${p.image.origin} image): ${p.reason}`);
    super(`testcontainers: ${problems.length} image(s) cannot be had:\n${lines.join('\n')}\nwhat to do: ${IMAGES_REMEDY}`);
    this.name = 'ImagesUnavailableError';
  }
}

/**
 * The gist of a failed pull. The engine's own message is a raw registry error such as
 * `(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup
 * registry-1.docker.io on 10.0.0.2:53: no such host`; users need to know which of a few things
 * went wrong.
 */
export function summarisePullError(error: unknown): string {
  const raw = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  const host = /(?:Get|Head) "https?:\/\/([^/"]+)/.exec(raw)?.[1] ?? /lookup ([^\s:]+)/.exec(raw)?.[1];
  const at = host ? ` (${host})` : '';
  if (/no such host|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|dial tcp|Client\.Timeout/i.test(raw)) return `no registry reachable${at}`;
  if (/manifest unknown|not found|does not exist|repository .* not found/i.test(raw)) return `no such image in the registry${at}`;
  if (/unauthorized|denied|authentication required/i.test(raw)) return `the registry refused access${at}: log in with \`docker login\``;
  if (/toomanyrequests|rate limit/i.test(raw)) return `the registry's pull rate limit was hit${at}`;
  return raw.length > 160 ? `${raw.slice(0, 157)}...` : raw;
}

/**
 * Makes sure every image is on this machine: present ones are used as they are, missing official
 * ones are pulled (with `onPull` told first, since a pull can take minutes), missing local ones
 * must be built. Throws one ImagesUnavailableError naming every image that cannot be had.
 */
export async function ensureImages(images: readonly ResolvedImage[], ops: ImageOps, onPull: (ref: string) => void = () => undefined): Promise<void> {
  const problems: ImageProblem[] = [];
  const unique = [...new Map(images.map((i) => [i.ref, i])).values()];
  for (const image of unique) {
    if (await ops.exists(image.ref)) continue;
    if (image.origin === 'local') {
      problems.push({ image, reason: 'not built on this machine' });
      continue;
    }
    onPull(image.ref);
    try {
      await ops.pull(image.ref);
    } catch (err) {
      problems.push({ image, reason: `not on this machine, and the pull failed: ${summarisePullError(err)}` });
    }
  }
  if (problems.length > 0) throw new ImagesUnavailableError(problems);
}
