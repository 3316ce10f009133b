import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where setup puts binaries, jars and template data dirs; never inside the repository. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TIDEMARK_CACHE;
  return fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.cache', 'tidemark');
}

/** Every well-known location inside the cache. */
export interface CachePaths {
  readonly root: string;
  readonly binDir: string;
  readonly toxiproxyBinary: string;
  readonly toxiproxyMarker: string;
  readonly kafkaDir: string;
  readonly kafkaLibs: string;
  readonly kafkaMarker: string;
  readonly mavenRepo: string;
  /** Apicurio Registry build: pom, settings, and target/ with the runner jar + lib/. */
  readonly registryDir: string;
  readonly registryJar: string;
  readonly registryMarker: string;
  readonly goPath: string;
  readonly goBuildCache: string;
  readonly templatesDir: string;
  readonly stateFile: string;
}

export function cachePaths(root: string = cacheRoot()): CachePaths {
  return {
    root,
    binDir: join(root, 'bin'),
    toxiproxyBinary: join(root, 'bin', 'toxiproxy-server'),
    toxiproxyMarker: join(root, 'bin', 'toxiproxy-server.version'),
    kafkaDir: join(root, 'kafka'),
    kafkaLibs: join(root, 'kafka', 'libs'),
    kafkaMarker: join(root, 'kafka', 'VERSION'),
    mavenRepo: join(root, 'm2'),
    registryDir: join(root, 'schema-registry'),
    // Quarkus' legacy thin jar: its manifest Class-Path points at lib/ beside it.
    registryJar: join(root, 'schema-registry', 'target', 'apicurio-registry-runner-1.0-runner.jar'),
    registryMarker: join(root, 'schema-registry', 'VERSION'),
    goPath: join(root, 'go'),
    goBuildCache: join(root, 'go-build'),
    templatesDir: join(root, 'templates'),
    stateFile: join(root, 'infra-state.json'),
  };
}
