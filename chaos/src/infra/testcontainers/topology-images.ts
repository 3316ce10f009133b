import { ensureImages } from '../images/availability.js';
import { imageEnvVar, type ServiceImageKey } from '../images/catalog.js';
import { imageChoice, resolveImageSet, type ImageChoice, type ImageSetName } from '../images/image-choice.js';
import { KIND_OF } from '../spec.js';
import type { ServiceName } from '../types.js';
import { dockerRuntime, imageOps } from './docker-runtime.js';

export interface TopologyImages {
  readonly set: ImageSetName;
  readonly refs: Readonly<Record<ServiceImageKey, string>>;
}

/** The images a set of services needs: one per kind of server, plus Toxiproxy. */
export function imageKeysFor(services: readonly ServiceName[]): ServiceImageKey[] {
  return [...new Set<ServiceImageKey>([...services.map((s) => KIND_OF[s]), 'toxiproxy'])];
}

const resolved = new Map<string, Promise<TopologyImages>>();

/**
 * Decides the images of a topology and makes sure they are on this machine (pulling official
 * ones), once per process and choice; throws ImagesUnavailableError naming what cannot be had.
 */
export function topologyImages(services: readonly ServiceName[], choice?: ImageChoice, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<TopologyImages> {
  const effective = imageChoice(choice);
  const keys = imageKeysFor(services);
  const memoKey = `${effective}|${keys.join(',')}|${keys.map((k) => process.env[imageEnvVar(k)] ?? '').join(',')}`;
  let pending = resolved.get(memoKey);
  if (!pending) {
    pending = (async () => {
      const ops = imageOps(await dockerRuntime());
      const { set, images } = await resolveImageSet(effective, keys, (ref) => ops.exists(ref));
      await ensureImages(images, ops, (ref) => log(`testcontainers: pulling ${ref} (not on this machine yet)…`));
      return { set, refs: Object.fromEntries(images.map((i) => [i.key, i.ref])) as Record<ServiceImageKey, string> };
    })();
    resolved.set(memoKey, pending);
  }
  return pending;
}
