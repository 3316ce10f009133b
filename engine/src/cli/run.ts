import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCheckpointBackend, type CheckpointBackendKind } from '../checkpoints/index.js';
import { ConfigError, loadPipelines } from '../config/index.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import { PipelineManager } from '../runtime/index.js';

/** `tidemark run`: load pipelines, start them, stop gracefully on SIGINT/SIGTERM. */
export async function runCommand(args: string[], usage: string): Promise<number> {
  let values: { config?: string; 'data-dir'?: string; checkpoints?: string; 'log-level'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        'data-dir': { type: 'string' },
        checkpoints: { type: 'string' },
        'log-level': { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`tidemark run: ${(e as Error).message}\n\n${usage}`);
    return 1;
  }
  const kind = (values.checkpoints ?? 'sqlite') as CheckpointBackendKind;
  if (!['sqlite', 'file', 'memory'].includes(kind)) {
    console.error(`tidemark run: --checkpoints must be sqlite, file or memory, got "${values.checkpoints}"`);
    return 1;
  }
  const level = (values['log-level'] ?? process.env.TIDEMARK_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    console.error(`tidemark run: --log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
    return 1;
  }
  if (!values.config) {
    console.error(`tidemark run: --config is required\n\n${usage}`);
    return 1;
  }

  let pipelines;
  try {
    pipelines = loadPipelines(values.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(`${p.file}: ${p.path}: ${p.reason}`);
      return 1;
    }
    throw e;
  }

  const logger = createLogger({ level });
  const dataDir = resolve(values['data-dir'] ?? '.tidemark');
  const backend = openCheckpointBackend(kind, dataDir);
  const manager = new PipelineManager({ backend, logger });
  logger.info({ dataDir, checkpoints: kind, pipelines: pipelines.map((p) => p.spec.metadata.name) }, 'tidemark starting');

  const stopped = new Promise<number>((resolveExit) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        resolveExit(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping: flushing in-flight batches and saving checkpoints');
      manager
        .stopAll()
        .then(() => backend.close())
        .then(() => resolveExit(0), (e) => {
          logger.error({ err: e }, 'error during shutdown');
          resolveExit(1);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  for (const p of pipelines) await manager.create(p.spec);
  const code = await stopped;
  logger.flush?.();
  return code;
}
