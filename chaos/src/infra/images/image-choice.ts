import { imageEntry, imageEnvVar, type ServiceImageKey } from './catalog.js';

/**
 * Which set of images a run uses: `local` (built here by `tidemark-chaos images build`),
 * `official` (pulled from registries), or `auto` (local when every one needed is built,
 * otherwise official). `--images` wins over $TIDEMARK_IMAGES, which wins over auto; a single
 * image can still be replaced with $TIDEMARK_IMAGE_<KEY> (e.g. TIDEMARK_IMAGE_MYSQL=mariadb:11.4).
 */
export type ImageChoice = 'local' | 'official' | 'auto';
export type ImageSetName = 'local' | 'official';

export const IMAGE_CHOICES: readonly ImageChoice[] = ['local', 'official', 'auto'];

export interface ResolvedImage {
  readonly key: ServiceImageKey;
  readonly ref: string;
  /** Where the name came from: a set of the catalog, or a TIDEMARK_IMAGE_<KEY> override. */
  readonly origin: ImageSetName | 'override';
}

/** The effective choice: the option, else $TIDEMARK_IMAGES, else auto. */
export function imageChoice(option: ImageChoice | undefined, env: NodeJS.ProcessEnv = process.env): ImageChoice {
  const value = option ?? env.TIDEMARK_IMAGES ?? 'auto';
  if (!(IMAGE_CHOICES as readonly string[]).includes(value)) {
    throw new Error(`${option === undefined ? 'TIDEMARK_IMAGES' : '--images'} must be one of ${IMAGE_CHOICES.join(', ')}, got "${value}"`);
  }
  return value as ImageChoice;
}

/** The image names of one set, with per-image overrides applied. */
export function imagesOf(set: ImageSetName, keys: readonly ServiceImageKey[], env: NodeJS.ProcessEnv = process.env): ResolvedImage[] {
  return keys.map((key) => {
    const override = env[imageEnvVar(key)];
    if (override) return { key, ref: override, origin: 'override' };
    const entry = imageEntry(key);
    const ref = set === 'local' ? entry.local : entry.official;
    if (ref === null) throw new Error(`image "${key}" has no ${set} variant`);
    return { key, ref, origin: set };
  });
}

/**
 * Resolves `auto` with a presence check: the local set when all of its images exist here (they
 * were built on purpose), else the official one.
 */
export async function resolveImageSet(
  choice: ImageChoice,
  keys: readonly ServiceImageKey[],
  exists: (ref: string) => Promise<boolean>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ set: ImageSetName; images: ResolvedImage[] }> {
  if (choice !== 'auto') return { set: choice, images: imagesOf(choice, keys, env) };
  const local = imagesOf('local', keys, env);
  const present = await Promise.all(local.map((image) => exists(image.ref)));
  return present.every(Boolean) ? { set: 'local', images: local } : { set: 'official', images: imagesOf('official', keys, env) };
}
