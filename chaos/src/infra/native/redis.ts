import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { probeRedis } from '../probes.js';
import type { ServiceInfo } from '../types.js';
import { redisServer } from './binaries.js';
import type { ServerRecipe } from './native-service.js';

/**
 * Redis with an append-only file fsynced before each reply (`appendfsync always`): with the
 * default everysec, Redis may reply before it even write()s the AOF, so a SIGKILL loses
 * acknowledged writes, and chaos checkers would blame the engine for Redis's own loss.
 */
export function redisArgs(dir: string, port: number): string[] {
  return [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no',
    '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--logfile', '', '--pidfile', join(dir, 'redis.pid'),
  ];
}

export function redisRecipe(info: ServiceInfo, dir: string): ServerRecipe {
  let binary = '';
  return {
    info,
    logFile: join(dir, 'redis.log'),
    stopSignal: 'SIGTERM',
    readyTimeoutMs: 30_000,
    async prepare() {
      binary = await redisServer();
      await mkdir(dir, { recursive: true });
    },
    launchSpec: () => ({ command: binary, args: redisArgs(dir, info.direct.port), cwd: dir, logFile: join(dir, 'redis.log') }),
    probe: () => probeRedis(info.direct),
  };
}
