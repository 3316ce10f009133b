import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from '@tidemark/chaos/infra/cache-paths';
import { runChecked, whichBinary } from '@tidemark/chaos/infra/exec';
import { copyDependenciesArgs } from '@tidemark/chaos/infra/setup/kafka-pom';
import { CONNECT_VERSION, DEBEZIUM_PLUGINS, installFingerprint, LOG4J_VERSION, type ConnectorPlugin } from './versions.js';

export interface DebeziumInstall {
  /** Connect runtime, JSON converter, Kafka tools, log4j binding: the worker's classpath. */
  readonly connectLibs: string;
  /** Connect's plugin.path: one directory per connector. */
  readonly pluginPath: string;
}

export function debeziumPaths(root: string = cacheRoot()): DebeziumInstall & { readonly dir: string; readonly marker: string; readonly mavenRepo: string } {
  const dir = join(root, 'debezium');
  return { dir, connectLibs: join(dir, 'connect-libs'), pluginPath: join(dir, 'plugins'), marker: join(dir, 'VERSION'), mavenRepo: join(root, 'm2') };
}

/**
 * Installs Kafka Connect and the Debezium connectors from Maven Central into the cache
 * (`~/.cache/tidemark/debezium`, beside the Kafka jars), the way setup installs Kafka: a
 * throwaway pom per directory and `mvn dependency:copy-dependencies`. Idempotent: a marker
 * written after a complete copy holds the pinned versions.
 */
export async function ensureDebezium(progress: (line: string) => void): Promise<DebeziumInstall> {
  const paths = debeziumPaths();
  const marker = await readFile(paths.marker, 'utf8').then((t) => t.trim(), () => '');
  if (marker === installFingerprint()) return paths;
  if (!(await whichBinary('mvn'))) throw new Error('mvn not found: install Maven (apt-get install -y maven), then rerun');
  progress(`installing Kafka Connect ${CONNECT_VERSION} and ${DEBEZIUM_PLUGINS.map((p) => `${p.artifact} ${p.version}`).join(', ')} from Maven Central into ${paths.dir}`);
  await rm(paths.dir, { recursive: true, force: true });
  await copyInto(join(paths.dir, 'poms', 'connect'), paths.connectLibs, paths.mavenRepo, connectPom(), [], progress);
  for (const plugin of DEBEZIUM_PLUGINS) {
    // The worker provides Kafka's own classes and slf4j; a second copy in a plugin dir only confuses class loading.
    await copyInto(join(paths.dir, 'poms', plugin.artifact), join(paths.pluginPath, plugin.artifact), paths.mavenRepo, pluginPom(plugin), ['-DexcludeGroupIds=org.apache.kafka,org.slf4j'], progress);
  }
  await writeFile(paths.marker, `${installFingerprint()}\n`);
  return paths;
}

async function copyInto(pomDir: string, libs: string, mavenRepo: string, pom: string, extra: string[], progress: (line: string) => void): Promise<void> {
  await mkdir(pomDir, { recursive: true });
  await mkdir(libs, { recursive: true });
  const pomFile = join(pomDir, 'pom.xml');
  await writeFile(pomFile, pom);
  let downloaded = 0;
  await runChecked('mvn', [...copyDependenciesArgs(pomFile, libs, mavenRepo), ...extra], {
    cwd: pomDir,
    onLine: (line) => {
      if (line.includes('Downloaded from') && line.includes('.jar')) progress(`  ${++downloaded} jars downloaded: ${line.replace(/^.*Downloaded from \S+ /, '')}`);
    },
  });
  progress(`  ${(await readdir(libs)).length} jars in ${libs}`);
}

function pom(artifactId: string, dependencies: ReadonlyArray<readonly [string, string, string]>): string {
  const deps = dependencies.map(([g, a, v]) => `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.tidemark.bench</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

/** A throwaway pom: the Connect worker, its JSON converter, Kafka's tools (ProducerPerformance) and a log binding. */
export function connectPom(): string {
  return pom('connect-runtime', [
    ['org.apache.kafka', 'connect-runtime', CONNECT_VERSION],
    ['org.apache.kafka', 'connect-json', CONNECT_VERSION],
    ['org.apache.kafka', 'kafka-tools', CONNECT_VERSION],
    ['org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION],
  ]);
}

export function pluginPom(plugin: ConnectorPlugin): string {
  return pom(plugin.artifact, [['io.debezium', plugin.artifact, plugin.version]]);
}
