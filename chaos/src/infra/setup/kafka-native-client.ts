import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecked } from '../exec.js';
import { installDebianPackages, missingDebianPackages } from './apt-packages.js';
import type { SetupContext, SetupStep } from './setup-step.js';

const PACKAGE = '@confluentinc/kafka-javascript';

/**
 * What librdkafka's build links against when built with CKJS_LINKING=dynamic. The package's
 * default (static) build downloads OpenSSL, zlib and zstd sources from the internet, which fails
 * on machines that only reach the package registries; so npm silently skips the optional
 * dependency, and this step builds it against the system libraries instead.
 */
export const KAFKA_NATIVE_BUILD_PACKAGES = [
  'build-essential',
  'python3',
  'libssl-dev',
  'zlib1g-dev',
  'libzstd-dev',
  'liblz4-dev',
  'libsasl2-dev',
  'libcurl4-openssl-dev',
] as const;

/** The npm workspace root this chaos package belongs to (where `npm install` was run). */
export function workspaceRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
    if (parsed.workspaces !== undefined) return dir;
  }
  return undefined;
}

/** The exact version the lockfile pins (so the build matches what `npm ci` would install). */
function pinnedVersion(root: string): string {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
  const version = lock.packages?.[`node_modules/${PACKAGE}`]?.version;
  if (!version) throw new Error(`package-lock.json does not pin ${PACKAGE}; run npm install first`);
  return version;
}

/**
 * Loads the client in a fresh process: this one may have cached a failed resolution (Node
 * remembers package.json files it did not find).
 */
async function loadedVersion(root: string): Promise<string | undefined> {
  const script = `const m = require('module').createRequire(${JSON.stringify(join(root, 'engine', 'package.json'))})(${JSON.stringify(PACKAGE)}); process.stdout.write(String(m.librdkafkaVersion));`;
  try {
    return (await runChecked(process.execPath, ['-e', script], { timeoutMs: 30_000 })).trim();
  } catch {
    return undefined;
  }
}

export const kafkaNativeClientStep: SetupStep = {
  title: `Kafka native client (${PACKAGE}, librdkafka built against system libraries)`,
  async check() {
    const root = workspaceRoot();
    if (root === undefined) return 'not in a workspace checkout (nothing to build)';
    const version = await loadedVersion(root);
    return version === undefined ? undefined : `loads, librdkafka ${version}`;
  },
  async run(ctx: SetupContext) {
    const root = workspaceRoot();
    if (root === undefined) return 'not in a workspace checkout (nothing to build)';
    const missing = await missingDebianPackages([...KAFKA_NATIVE_BUILD_PACKAGES], ctx.env);
    if (missing.length > 0) {
      ctx.progress(`build libraries: ${missing.join(' ')}`);
      await installDebianPackages(missing, ctx);
    }
    const version = pinnedVersion(root);
    ctx.progress(`building ${PACKAGE}@${version} (about 3 min on 2 cores)`);
    // --no-save: the lockfile already pins it as an optional dependency; this only fills the
    // hole npm left when the default build failed. The next `npm install` keeps it.
    await runChecked('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts=false', `${PACKAGE}@${version}`], {
      cwd: root,
      env: { ...ctx.env, CKJS_LINKING: 'dynamic' },
      onLine: ctx.progress,
    });
    const loaded = await loadedVersion(root);
    if (loaded === undefined) throw new Error(`${PACKAGE} was built but does not load; run: CKJS_LINKING=dynamic npm rebuild ${PACKAGE} --foreground-scripts`);
    return `built ${PACKAGE}@${version}, librdkafka ${loaded}`;
  },
};
