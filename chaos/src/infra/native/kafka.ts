import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CachePaths } from '../cache-paths.js';
import { runChecked } from '../exec.js';
import { probeKafka } from '../probes.js';
import type { LaunchSpec } from '../process/managed-process.js';
import type { ServiceInfo } from '../types.js';
import { java, kafkaLibs } from './binaries.js';
import { KAFKA_LOG4J_PROPERTIES, kafkaJvmArgs, kafkaServerProperties, type KafkaLayout } from './kafka-config.js';
import type { ServerRecipe } from './native-service.js';
import { copyFromTemplate, ensureTemplate } from './template-store.js';
import { KAFKA_TEMPLATE_KEY } from './template-keys.js';


/**
 * A formatted KRaft log dir (meta.properties + bootstrap checkpoint), made once with
 * `kafka.tools.StorageTool format`: the JVM start it costs is worth saving on every instance.
 * With a static controller.quorum.voters no address is stored in it, so copies may use any ports.
 */
export async function kafkaTemplate(paths: CachePaths): Promise<string> {
  const libs = await kafkaLibs(paths);
  return ensureTemplate(paths.templatesDir, KAFKA_TEMPLATE_KEY, async (work) => {
    const dataDir = join(work, 'data');
    const config = join(work, 'format.properties');
    await writeFile(config, kafkaServerProperties({ dataDir, proxiedListenerPort: 1, proxyPort: 1, directPort: 2, controllerPort: 3 }));
    await writeFile(join(work, 'log4j.properties'), KAFKA_LOG4J_PROPERTIES);
    const clusterId = randomBytes(16).toString('base64url');
    await runChecked(await java(), [...kafkaJvmArgs(libs, join(work, 'log4j.properties')), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config]);
  });
}

export interface KafkaRecipeOptions {
  readonly info: ServiceInfo;
  readonly dir: string;
  readonly paths: CachePaths;
  readonly layout: Omit<KafkaLayout, 'dataDir'>;
}

export function kafkaRecipe(options: KafkaRecipeOptions): ServerRecipe {
  const { info, dir, paths } = options;
  const configFile = join(dir, 'server.properties');
  const log4jFile = join(dir, 'log4j.properties');
  let javaBinary = '';
  let libs = '';
  return {
    info,
    logFile: join(dir, 'kafka.log'),
    stopSignal: 'SIGTERM',
    readyTimeoutMs: 90_000,
    async prepare() {
      javaBinary = await java();
      libs = await kafkaLibs(paths);
      await mkdir(dir, { recursive: true });
      await copyFromTemplate(await kafkaTemplate(paths), 'data', join(dir, 'data'));
      await writeFile(configFile, kafkaServerProperties({ ...options.layout, dataDir: join(dir, 'data') }));
      await writeFile(log4jFile, KAFKA_LOG4J_PROPERTIES);
    },
    launchSpec(): LaunchSpec {
      return { command: javaBinary, args: [...kafkaJvmArgs(libs, log4jFile), 'kafka.Kafka', configFile], cwd: dir, logFile: join(dir, 'kafka.log') };
    },
    // Through DIRECT: readiness must not depend on the proxy's state.
    probe: () => probeKafka(info.direct),
  };
}

