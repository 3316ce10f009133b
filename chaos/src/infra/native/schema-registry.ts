import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CachePaths } from '../cache-paths.js';
import { probeSchemaRegistry } from '../probes.js';
import type { ServiceInfo } from '../types.js';
import { java, registryJar } from './binaries.js';
import type { ServerRecipe } from './native-service.js';

/**
 * JVM flags and Quarkus settings for Apicurio Registry (measured: ready in ~6 s, ~180 MB RSS),
 * shared by the native service and the container (testcontainers/container-specs.ts).
 * - C1 only (`TieredStopAtLevel=1`): 30% faster start on 2 cores; the registry does little work.
 * - Storage is H2, as upstream's default, but in a file instead of in memory, committed without
 *   write delay (a SIGKILL right after a registration keeps it; measured): a restart (the nemesis
 *   restarts it) must keep every schema and id, as Confluent's registry does (it keeps them in
 *   Kafka); an in-memory registry would hand out the same ids again for other schemas after a restart.
 * - Global compatibility BACKWARD, Confluent's default (Apicurio's is NONE; `GET /config` still
 *   answers NONE, which clients must not rely on).
 */
export function registryJvmOptions(listen: { readonly host: string; readonly port: number }, dbFile: string): string[] {
  return [
    '-Xmx192m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
    `-Dquarkus.http.port=${listen.port}`, `-Dquarkus.http.host=${listen.host}`,
    `-Dquarkus.datasource.jdbc.url=jdbc:h2:file:${dbFile};DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0`,
    '-Dregistry.rules.global.compatibility=BACKWARD',
    '-Dquarkus.log.level=WARN', '-Dquarkus.log.category."io.apicurio".level=INFO',
  ];
}

export function registryArgs(jar: string, dir: string, port: number): string[] {
  return [...registryJvmOptions({ host: '127.0.0.1', port }, join(dir, 'db', 'registry')), '-jar', jar];
}

export function schemaRegistryRecipe(info: ServiceInfo, dir: string, paths: CachePaths): ServerRecipe {
  const logFile = join(dir, 'schema-registry.log');
  let javaBinary = '';
  let jar = '';
  return {
    info,
    logFile,
    stopSignal: 'SIGTERM',
    readyTimeoutMs: 90_000,
    async prepare() {
      javaBinary = await java();
      jar = await registryJar(paths);
      await mkdir(join(dir, 'db'), { recursive: true });
    },
    launchSpec: () => ({ command: javaBinary, args: registryArgs(jar, dir, info.direct.port), cwd: dir, logFile }),
    probe: () => probeSchemaRegistry(info.direct),
  };
}
