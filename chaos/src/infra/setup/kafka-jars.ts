import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, whichBinary } from '../exec.js';
import { KAFKA_SCALA_VERSION, KAFKA_VERSION } from '../versions.js';
import { copyDependenciesArgs, kafkaPom } from './kafka-pom.js';
import type { SetupContext, SetupStep } from './setup-step.js';

async function readMarker(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
}

/** True when the cache holds the pinned Kafka jars (marker written only after a full copy). */
export async function kafkaJarsPresent(ctx: Pick<SetupContext, 'paths'>): Promise<boolean> {
  if ((await readMarker(ctx.paths.kafkaMarker)) !== KAFKA_VERSION) return false;
  const jars = await readdir(ctx.paths.kafkaLibs).catch(() => [] as string[]);
  return jars.includes(`kafka_${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}.jar`);
}

export const kafkaJarsStep: SetupStep = {
  title: `Kafka ${KAFKA_VERSION} jars from Maven Central`,
  async check(ctx) {
    return (await kafkaJarsPresent(ctx)) ? `${ctx.paths.kafkaLibs}` : undefined;
  },
  async run(ctx: SetupContext) {
    if (!(await whichBinary('mvn', ctx.env))) throw new Error('mvn not found: install Maven (apt-get install -y maven) and rerun setup');
    const { kafkaDir, kafkaLibs, kafkaMarker, mavenRepo } = ctx.paths;
    await rm(kafkaLibs, { recursive: true, force: true });
    await rm(kafkaMarker, { force: true });
    await mkdir(kafkaLibs, { recursive: true });
    const pomFile = join(kafkaDir, 'pom.xml');
    await writeFile(pomFile, kafkaPom());
    let downloaded = 0;
    await runChecked('mvn', copyDependenciesArgs(pomFile, kafkaLibs, mavenRepo), {
      cwd: kafkaDir,
      env: ctx.env,
      onLine: (line) => {
        if (line.includes('Downloaded from')) downloaded += 1;
        if (line.includes('Downloaded from') && line.includes('.jar')) ctx.progress(`${downloaded} files downloaded: ${line.replace(/^.*Downloaded from \S+ /, '')}`);
      },
    });
    const jars = await readdir(kafkaLibs);
    await writeFile(kafkaMarker, `${KAFKA_VERSION}\n`);
    return `${jars.length} jars in ${kafkaLibs}`;
  },
};
