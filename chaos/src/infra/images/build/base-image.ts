import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../../exec.js';
import { installDebianPackages, missingDebianPackages } from '../../setup/apt-packages.js';
import type { SetupContext } from '../../setup/setup-step.js';
import { dockerImport, LABEL_RECIPE } from './docker-cli.js';
import { hashStrings } from './recipe-hash.js';

export const BASE_SUITE = 'bookworm';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
/** Bump when what the base recipe does changes, so cached base images are rebuilt. */
const BASE_REVISION = 1;

/** The Debian mirror this machine's apt uses (deb822 `URIs:` or a one-line `deb` entry). */
export async function debianMirror(etcApt = '/etc/apt'): Promise<string> {
  const files = [join(etcApt, 'sources.list'), ...(await readdir(join(etcApt, 'sources.list.d')).catch(() => [] as string[])).map((f) => join(etcApt, 'sources.list.d', f))];
  for (const file of files.filter((f) => f.endsWith('.list') || f.endsWith('.sources'))) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const uri = /^URIs:\s*(\S+)/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/m.exec(text)?.[1];
    if (uri && /\/debian\/?$/.test(uri)) return uri.replace(/\/$/, '');
  }
  return DEFAULT_MIRROR;
}

export function baseRecipeHash(mirror: string): string {
  return hashStrings([`debootstrap --variant=minbase ${BASE_SUITE}`, mirror, `revision ${BASE_REVISION}`]);
}

/**
 * The root of every local image: `debootstrap --variant=minbase bookworm` from this machine's
 * mirror, imported with `docker import`. It keeps debootstrap's apt lists, so recipes install
 * packages without an `apt-get update` of their own (each one costs seconds and 50 MB), and a
 * policy-rc.d, so package scripts never try to start services during a build.
 */
export async function buildBaseImage(tag: string, hash: string, ctx: SetupContext): Promise<void> {
  const missing = await missingDebianPackages(['debootstrap'], ctx.env);
  if (missing.length > 0) await installDebianPackages(missing, ctx);
  const mirror = await debianMirror();
  const work = join(ctx.paths.root, 'images');
  const debs = join(work, 'debootstrap-debs');
  await mkdir(debs, { recursive: true });
  const rootfs = await mkdtemp(join(work, 'rootfs-'));
  try {
    ctx.progress(`debootstrap --variant=minbase ${BASE_SUITE} from ${mirror} (about 45 s)`);
    await runChecked('debootstrap', ['--variant=minbase', `--cache-dir=${debs}`, BASE_SUITE, rootfs, mirror], { env: ctx.env, onLine: ctx.progress });
    await writeFile(join(rootfs, 'usr/sbin/policy-rc.d'), '#!/bin/sh\n# local images: package scripts never start services\nexit 101\n', { mode: 0o755 });
    await rm(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    await mkdir(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    ctx.progress(`docker import ${tag}`);
    await dockerImport(rootfs, tag, ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["bash"]', `LABEL ${LABEL_RECIPE}=${hash}`], { env: ctx.env });
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}
