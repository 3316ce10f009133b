import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureImages, ImagesUnavailableError, summarisePullError, type ImageOps } from '../../../../chaos/src/infra/images/availability.js';
import { buildOrder } from '../../../../chaos/src/infra/images/build/build-images.js';
import { baseRecipeHash, debianMirror } from '../../../../chaos/src/infra/images/build/base-image.js';
import { ENGINE_BUILD_INPUTS } from '../../../../chaos/src/infra/images/build/engine-inputs.js';
import { hashStrings } from '../../../../chaos/src/infra/images/build/recipe-hash.js';
import { IMAGE_CATALOG, SERVICE_IMAGE_KEYS } from '../../../../chaos/src/infra/images/catalog.js';
import { imageChoice, imagesOf, resolveImageSet } from '../../../../chaos/src/infra/images/image-choice.js';
import { IMAGE_RECIPES_DIR, REPO_ROOT } from '../../../../chaos/src/infra/repo-paths.js';

describe('image catalog', () => {
  it('names an official and a local image for every server kind, and a recipe for each local one', async () => {
    for (const key of SERVICE_IMAGE_KEYS) {
      const entry = IMAGE_CATALOG.get(key);
      expect(entry?.official, key).toBeTruthy();
      expect(entry?.local, key).toMatch(/^tidemark-local\//);
    }
    for (const entry of IMAGE_CATALOG.values()) {
      if (entry.recipe.kind === 'dockerfile') expect(await readFile(join(IMAGE_RECIPES_DIR, entry.recipe.dir, 'Dockerfile'), 'utf8'), entry.key).toMatch(/^FROM \$\{BASE_IMAGE\}$/m);
    }
  });

  it('builds parents first, and only what --only needs', () => {
    const all = buildOrder();
    expect(all[0]).toBe('base');
    expect(all.indexOf('node')).toBeLessThan(all.indexOf('engine'));
    expect(all).toHaveLength(IMAGE_CATALOG.size);
    expect(buildOrder(['engine'])).toEqual(['base', 'node', 'engine']);
    expect(buildOrder(['redis', 'nats'])).toEqual(['base', 'redis', 'nats']);
  });

  it('hashes recipes stably and tells different ones apart', () => {
    expect(hashStrings(['a', 'b'])).toBe(hashStrings(['a', 'b']));
    expect(hashStrings(['a', 'b'])).not.toBe(hashStrings(['ab']));
    expect(baseRecipeHash('http://deb.debian.org/debian')).not.toBe(baseRecipeHash('http://mirror.example/debian'));
  });

  it('reads the Debian mirror from this machine’s apt sources', async () => {
    expect(await debianMirror()).toMatch(/^https?:\/\/.+\/debian$/);
    expect(await debianMirror('/nonexistent')).toBe('http://deb.debian.org/debian');
  });

  it('hashes every path the engine Dockerfile copies from the repository', async () => {
    const dockerfile = await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(ENGINE_BUILD_INPUTS, source).toContain(source);
  });
});

describe('choosing images', () => {
  it('--images wins over TIDEMARK_IMAGES, which wins over auto', () => {
    expect(imageChoice(undefined, {})).toBe('auto');
    expect(imageChoice(undefined, { TIDEMARK_IMAGES: 'local' })).toBe('local');
    expect(imageChoice('official', { TIDEMARK_IMAGES: 'local' })).toBe('official');
    expect(() => imageChoice(undefined, { TIDEMARK_IMAGES: 'remote' })).toThrow('TIDEMARK_IMAGES must be one of local, official, auto, got "remote"');
  });

  it('a TIDEMARK_IMAGE_<KEY> replaces one image', () => {
    expect(imagesOf('official', ['mysql', 'redis'], { TIDEMARK_IMAGE_MYSQL: 'mariadb:11.4' })).toEqual([
      { key: 'mysql', ref: 'mariadb:11.4', origin: 'override' },
      { key: 'redis', ref: 'redis:7.2', origin: 'official' },
    ]);
  });

  it('auto takes the local set only when every local image is built', async () => {
    const built = new Set(['tidemark-local/redis:7', 'tidemark-local/toxiproxy:2.12.0']);
    const exists = async (ref: string) => built.has(ref);
    expect((await resolveImageSet('auto', ['redis', 'toxiproxy'], exists, {})).set).toBe('local');
    expect((await resolveImageSet('auto', ['redis', 'nats', 'toxiproxy'], exists, {})).set).toBe('official');
    expect((await resolveImageSet('local', ['nats'], exists, {})).images[0]?.ref).toBe('tidemark-local/nats:2.10.29');
  });
});

describe('image availability', () => {
  const raw500 = new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: no such host');

  it('summarises registry errors as what went wrong', () => {
    expect(summarisePullError(raw500)).toBe('no registry reachable (registry-1.docker.io)');
    expect(summarisePullError(new Error('(HTTP code 404) unexpected - manifest unknown'))).toBe('no such image in the registry');
    expect(summarisePullError(new Error('pull access denied for x, repository does not exist or may require docker login'))).toMatch(/no such image|refused access/);
    expect(summarisePullError(new Error('toomanyrequests: You have reached your pull rate limit'))).toMatch(/rate limit/);
  });

  it('pulls missing official images, never local ones, and names everything that cannot be had', async () => {
    const pulled: string[] = [];
    const ops: ImageOps = {
      exists: async (ref) => ref === 'redis:7.2',
      pull: async (ref) => {
        pulled.push(ref);
        if (ref === 'mysql:8.4') throw raw500;
      },
    };
    const images = [
      { key: 'redis', ref: 'redis:7.2', origin: 'official' },
      { key: 'nats', ref: 'nats:2.10', origin: 'official' },
      { key: 'mysql', ref: 'mysql:8.4', origin: 'official' },
      { key: 'kafka', ref: 'tidemark-local/kafka:3.9.1', origin: 'local' },
    ] as const;
    const error = await ensureImages(images, ops).catch((e: unknown) => e);
    expect(pulled).toEqual(['nats:2.10', 'mysql:8.4']);
    expect(error).toBeInstanceOf(ImagesUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('mysql:8.4 (mysql, official image): not on this machine, and the pull failed: no registry reachable (registry-1.docker.io)');
    expect(message).toContain('tidemark-local/kafka:3.9.1 (kafka, local image): not built on this machine');
    expect(message).toContain('npx tidemark-chaos images build');
    expect(message).toContain('--provider native');
    expect(message).not.toContain('HTTP code 500');
  });
});
