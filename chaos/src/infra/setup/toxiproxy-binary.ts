import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, whichBinary } from '../exec.js';
import { TOXIPROXY_MODULE, TOXIPROXY_VERSION } from '../versions.js';
import type { SetupContext, SetupStep } from './setup-step.js';

/** True when the cache holds the pinned toxiproxy-server build. */
export async function toxiproxyPresent(ctx: Pick<SetupContext, 'paths'>): Promise<boolean> {
  const marker = await readFile(ctx.paths.toxiproxyMarker, 'utf8').then((t) => t.trim(), () => undefined);
  const binary = await whichBinary('toxiproxy-server', { PATH: ctx.paths.binDir });
  return marker === TOXIPROXY_VERSION && binary !== undefined;
}

export const toxiproxyStep: SetupStep = {
  title: `Toxiproxy ${TOXIPROXY_VERSION} (go install)`,
  async check(ctx) {
    return (await toxiproxyPresent(ctx)) ? ctx.paths.toxiproxyBinary : undefined;
  },
  async run(ctx: SetupContext) {
    if (!(await whichBinary('go', ctx.env))) throw new Error('go not found: install Go >= 1.23 (toxiproxy v2.12 needs it) and rerun setup');
    const { binDir, goPath, goBuildCache, toxiproxyBinary, toxiproxyMarker } = ctx.paths;
    await mkdir(binDir, { recursive: true });
    // go install names the binary after its package dir ("server"); build aside, then rename.
    const gobin = await mkdtemp(join(binDir, '.gobin-'));
    try {
      const env = {
        ...ctx.env,
        GOBIN: gobin,
        GOPATH: goPath,
        GOCACHE: goBuildCache,
        // Writable module cache, so deleting the tidemark cache never needs chmod first.
        GOFLAGS: `${ctx.env.GOFLAGS ?? ''} -modcacherw`.trim(),
      };
      ctx.progress(`go install ${TOXIPROXY_MODULE}@${TOXIPROXY_VERSION}`);
      await runChecked('go', ['install', `${TOXIPROXY_MODULE}@${TOXIPROXY_VERSION}`], { env, onLine: ctx.progress });
      await rename(join(gobin, 'server'), toxiproxyBinary);
    } finally {
      await rm(gobin, { recursive: true, force: true });
    }
    await writeFile(toxiproxyMarker, `${TOXIPROXY_VERSION}\n`);
    return toxiproxyBinary;
  },
};
