import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked } from '../exec.js';

const COMPLETE_MARKER = '.tidemark-template-complete';

/**
 * Template data dirs live in the cache and are copied (`cp -a`, which keeps the postgres
 * ownership) instead of running install-db/initdb/kafka-storage for every instance: that is
 * most of a cold start. Several test workers may race to build one; the first rename wins.
 */
export async function ensureTemplate(templatesDir: string, key: string, build: (workDir: string) => Promise<void>): Promise<string> {
  const target = join(templatesDir, key);
  if (await exists(join(target, COMPLETE_MARKER))) return target;
  await mkdir(templatesDir, { recursive: true });
  // Built under the system tmp dir: the cache may sit under /root, which user postgres cannot enter.
  const workDir = await mkdtemp(join(tmpdir(), `tidemark-template-${key}-`));
  await chmod(workDir, 0o755);
  const staging = join(templatesDir, `.${key}-${randomBytes(4).toString('hex')}`);
  try {
    await build(workDir);
    await writeFile(join(workDir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    await runChecked('cp', ['-a', workDir, staging]);
    await rename(staging, target).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

/** True when a complete template with this key is in the cache. */
export function templateReady(templatesDir: string, key: string): Promise<boolean> {
  return exists(join(templatesDir, key, COMPLETE_MARKER));
}

/** Copies one entry of a template (e.g. its `data` dir) to dest, keeping owners and modes. */
export async function copyFromTemplate(template: string, entry: string, dest: string): Promise<void> {
  await runChecked('cp', ['-a', join(template, entry), dest]);
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
