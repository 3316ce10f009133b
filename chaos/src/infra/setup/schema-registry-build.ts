import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, whichBinary } from '../exec.js';
import { APICURIO_VERSION } from '../versions.js';
import { REGISTRY_MAVEN_SETTINGS, registryBuildArgs, registryPom } from './schema-registry-pom.js';
import type { SetupContext, SetupStep } from './setup-step.js';

/** True when the cache holds a complete build of the pinned version (marker written last). */
export async function registryPresent(ctx: Pick<SetupContext, 'paths'>): Promise<boolean> {
  const marker = await readFile(ctx.paths.registryMarker, 'utf8').then((t) => t.trim(), () => undefined);
  if (marker !== APICURIO_VERSION) return false;
  return access(ctx.paths.registryJar).then(() => true, () => false);
}

/**
 * Builds Apicurio Registry from Maven Central into the cache (about 100 s and 230 MB of
 * downloads on an empty Maven repository, 45 s warm). Progress: one line per downloaded jar,
 * throttled by the runner, then Quarkus' build.
 */
export const schemaRegistryStep: SetupStep = {
  title: `Apicurio Registry ${APICURIO_VERSION} (schema registry) from Maven Central`,
  async check(ctx) {
    return (await registryPresent(ctx)) ? ctx.paths.registryJar : undefined;
  },
  async run(ctx: SetupContext) {
    if (!(await whichBinary('mvn', ctx.env))) throw new Error('mvn not found: install Maven (apt-get install -y maven) and rerun setup');
    const { registryDir, registryMarker, mavenRepo } = ctx.paths;
    await rm(registryMarker, { force: true });
    await rm(join(registryDir, 'target'), { recursive: true, force: true });
    await mkdir(registryDir, { recursive: true });
    const pomFile = join(registryDir, 'pom.xml');
    const settingsFile = join(registryDir, 'settings.xml');
    await writeFile(pomFile, registryPom());
    await writeFile(settingsFile, REGISTRY_MAVEN_SETTINGS);
    let downloaded = 0;
    await runChecked('mvn', registryBuildArgs(pomFile, settingsFile, mavenRepo), {
      cwd: registryDir,
      env: ctx.env,
      onLine: (line) => {
        if (line.includes('Downloaded from')) {
          downloaded += 1;
          if (line.includes('.jar')) ctx.progress(`${downloaded} files downloaded: ${line.replace(/^.*Downloaded from \S+ /, '')}`);
        } else if (line.includes('quarkus') || line.includes('BUILD')) {
          ctx.progress(line.replace(/^\[INFO\]\s*/, ''));
        }
      },
    });
    const libs = await readdir(join(registryDir, 'target', 'lib')).catch(() => [] as string[]);
    if (libs.length === 0) throw new Error(`the registry build left no ${join(registryDir, 'target', 'lib')}: see the Maven output above`);
    await writeFile(registryMarker, `${APICURIO_VERSION}\n`);
    return `${ctx.paths.registryJar} + ${libs.length} jars in lib/`;
  },
};
