import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { probeNats } from '../probes.js';
import type { ServiceInfo } from '../types.js';
import { natsServer } from './binaries.js';
import type { ServerRecipe } from './native-service.js';

/** nats-server with JetStream storing under dir/js (the store lands in dir/js/jetstream). */
export function natsArgs(dir: string, port: number): string[] {
  return ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'js'), '-n', `tidemark-${port}`];
}

export function natsRecipe(info: ServiceInfo, dir: string): ServerRecipe {
  let binary = '';
  return {
    info,
    logFile: join(dir, 'nats.log'),
    // nats-server exits with code 1 even on a clean SIGTERM; that is normal.
    stopSignal: 'SIGTERM',
    readyTimeoutMs: 30_000,
    async prepare() {
      binary = await natsServer();
      await mkdir(dir, { recursive: true });
    },
    launchSpec: () => ({ command: binary, args: natsArgs(dir, info.direct.port), cwd: dir, logFile: join(dir, 'nats.log') }),
    probe: () => probeNats(info.direct),
  };
}
