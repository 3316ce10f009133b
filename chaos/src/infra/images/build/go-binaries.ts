import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, whichBinary } from '../../exec.js';
import type { SetupContext } from '../../setup/setup-step.js';
import { NATS_IMAGE_VERSION, NATS_MODULE } from '../../versions.js';

/** Where images build keeps binaries it compiled for images (static, so any base can run them). */
export function imageBinDir(ctx: Pick<SetupContext, 'paths'>): string {
  return join(ctx.paths.root, 'images', 'bin');
}

/**
 * nats-server for the local image, compiled from the Go module proxy with CGO off (a static
 * binary), reusing setup's Go module and build caches. Rebuilt only when the pinned version
 * changes (a marker next to the binary records it).
 */
export async function ensureNatsBinary(ctx: SetupContext): Promise<string> {
  const dir = imageBinDir(ctx);
  const binary = join(dir, 'nats-server');
  const marker = `${binary}.version`;
  if ((await readFile(marker, 'utf8').catch(() => '')).trim() === NATS_IMAGE_VERSION) return binary;
  if (!(await whichBinary('go', ctx.env))) throw new Error(`go not found: the local NATS image compiles ${NATS_MODULE}@${NATS_IMAGE_VERSION}; install Go >= 1.23`);
  await mkdir(dir, { recursive: true });
  const gobin = await mkdtemp(join(dir, '.gobin-'));
  try {
    ctx.progress(`go install ${NATS_MODULE}@${NATS_IMAGE_VERSION} (static; about 2 min on 2 cores the first time)`);
    await runChecked('go', ['install', '-trimpath', '-ldflags=-s -w', `${NATS_MODULE}@${NATS_IMAGE_VERSION}`], {
      env: {
        ...ctx.env,
        CGO_ENABLED: '0',
        GOBIN: gobin,
        GOPATH: ctx.paths.goPath,
        GOCACHE: ctx.paths.goBuildCache,
        GOFLAGS: `${ctx.env.GOFLAGS ?? ''} -modcacherw`.trim(),
      },
      onLine: ctx.progress,
    });
    await rename(join(gobin, 'nats-server'), binary);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
  await writeFile(marker, `${NATS_IMAGE_VERSION}\n`);
  return binary;
}
