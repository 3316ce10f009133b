import { access, rm, writeFile } from 'node:fs/promises';
import { runChecked, runCommand, whichBinary } from '../exec.js';
import { APT_SERVER_PACKAGES } from '../versions.js';
import type { SetupContext, SetupStep } from './setup-step.js';

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** The subset of `wanted` that dpkg does not report as installed. */
export async function missingDebianPackages(wanted: readonly string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  if (!(await whichBinary('dpkg-query', env))) {
    throw new Error(`dpkg-query not found: this setup supports Debian/Ubuntu; install the equivalents of ${wanted.join(' ')} by hand`);
  }
  const result = await runCommand('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...wanted], { env });
  const installed = new Set(
    result.output.split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]),
  );
  return wanted.filter((pkg) => !installed.has(pkg));
}

/** Debian packages the native provider needs that are not installed yet. */
async function missingServerPackages(env: NodeJS.ProcessEnv): Promise<string[]> {
  const wanted: string[] = [...APT_SERVER_PACKAGES];
  if (!(await whichBinary('java', env))) wanted.push('openjdk-17-jre-headless');
  if (!(await whichBinary('mvn', env))) wanted.push('maven');
  return missingDebianPackages(wanted, env);
}

/** Makes sure package scripts cannot start system services, even where no policy exists yet. */
async function withServicesDenied<T>(work: () => Promise<T>): Promise<T> {
  const existed = await access(POLICY_RC_D).then(() => true, () => false);
  if (!existed) await writeFile(POLICY_RC_D, '#!/bin/sh\n# written by tidemark-chaos setup\nexit 101\n', { mode: 0o755 });
  try {
    return await work();
  } finally {
    if (!existed) await rm(POLICY_RC_D, { force: true });
  }
}

/** apt-get installs `packages` as root; otherwise fails with the exact command to run. */
export async function installDebianPackages(packages: readonly string[], ctx: SetupContext): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${packages.join(' ')}\nrun setup as root, or install them first: sudo apt-get install -y ${packages.join(' ')}`);
  }
  const env = { ...ctx.env, DEBIAN_FRONTEND: 'noninteractive' };
  await withServicesDenied(async () => {
    ctx.progress('apt-get update');
    await runChecked('apt-get', ['update'], { env, onLine: ctx.progress });
    ctx.progress(`apt-get install -y ${packages.join(' ')}`);
    await runChecked('apt-get', ['install', '-y', ...packages], { env, onLine: ctx.progress });
  });
}

export const aptPackagesStep: SetupStep = {
  title: 'Debian packages (MariaDB, PostgreSQL, Redis, NATS, Chromium, JDK if absent)',
  async check(ctx) {
    const missing = await missingServerPackages(ctx.env);
    return missing.length === 0 ? 'all installed' : undefined;
  },
  async run(ctx: SetupContext) {
    const missing = await missingServerPackages(ctx.env);
    await installDebianPackages(missing, ctx);
    return `installed ${missing.join(', ')}`;
  },
};
