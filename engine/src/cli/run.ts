import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAddress, startControlPlane } from '../api/index.js';
import { openCheckpointBackend, type CheckpointBackendKind } from '../checkpoints/index.js';
import { ConfigError, loadPipelines, type LoadedPipeline } from '../config/index.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import { PrometheusMetrics } from '../metrics/index.js';
import { ControlError, limitHeapGrowth, LogLevelControl, PipelineManager, PipelineRecordStore, pipelineStatusViews, RecordStoreError, startSummaryLog, startupPipelines } from '../runtime/index.js';
import { closeDeadLetterJournals, openDeadLetterJournal } from '../journal/index.js';

interface RunFlags {
  config?: string;
  'data-dir'?: string;
  checkpoints?: string;
  'log-level'?: string;
  'api-addr'?: string;
  'metrics-addr'?: string;
  'api-token'?: string;
  'summary-interval'?: string;
}

/**
 * `tidemark run`: load pipelines (--config files and those persisted by the API), serve the
 * control plane and metrics, stop gracefully on SIGINT/SIGTERM.
 */
export async function runCommand(args: string[], usage: string): Promise<number> {
  let values: RunFlags;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        'data-dir': { type: 'string' },
        checkpoints: { type: 'string' },
        'log-level': { type: 'string' },
        'api-addr': { type: 'string' },
        'metrics-addr': { type: 'string' },
        'api-token': { type: 'string' },
        'summary-interval': { type: 'string' },
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
  const apiAddr = values['api-addr'] ?? process.env.TIDEMARK_API_ADDR ?? '127.0.0.1:8080';
  const metricsAddr = values['metrics-addr'] ?? process.env.TIDEMARK_METRICS_ADDR ?? '127.0.0.1:9000';
  const summarySeconds = Number(values['summary-interval'] ?? 30);
  try {
    parseAddress(apiAddr);
    parseAddress(metricsAddr);
    if (!Number.isFinite(summarySeconds) || summarySeconds < 0) throw new Error(`--summary-interval must be a number of seconds (0 disables), got "${values['summary-interval']}"`);
  } catch (e) {
    console.error(`tidemark run: ${(e as Error).message}`);
    return 1;
  }
  const token = values['api-token'] ?? process.env.TIDEMARK_API_TOKEN ?? undefined;

  let loaded: LoadedPipeline[] = [];
  try {
    if (values.config) loaded = loadPipelines(values.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(`${p.file}: ${p.path}: ${p.reason}`);
      return 1;
    }
    throw e;
  }

  const heapGrowth = limitHeapGrowth();
  const logger = createLogger({ level });
  const logControl = new LogLevelControl(logger);
  const dataDir = resolve(values['data-dir'] ?? process.env.TIDEMARK_DATA_DIR ?? '.tidemark');
  const backend = openCheckpointBackend(kind, dataDir);
  const metrics = new PrometheusMetrics({ version: engineVersion() });
  const records = new PipelineRecordStore(join(dataDir, 'pipelines'));
  const manager = new PipelineManager({
    backend,
    logger,
    records,
    metrics: (spec) => metrics.forPipeline(spec.metadata.name),
    onRestart: (p) => metrics.restarted(p.name),
    onRemoved: (name) => void metrics.forgetPipeline(name),
    openDlq: (spec) => openDeadLetterJournal(dataDir, spec, { logger: logger.child({ pipeline: spec.metadata.name, component: 'dlq' }), metrics: metrics.journal(spec.metadata.name) }),
  });
  metrics.observePipelines(() => pipelineStatusViews(manager));
  logger.info({ dataDir, checkpoints: kind, config: values.config ?? null, heapGrowth: heapGrowth ?? 'set on the node command line' }, 'tidemark starting');

  try {
    manager.restore(startupPipelines(loaded, records, logger));
  } catch (e) {
    if (e instanceof ControlError || e instanceof RecordStoreError) {
      console.error(`tidemark run: cannot restore pipelines:\n${e.message}`);
      await backend.close();
      return 1;
    }
    throw e;
  }

  let ready = false;
  const controlPlane = await startControlPlane({ manager, backend, logger, logControl, metrics, apiAddr, metricsAddr, token, version: engineVersion(), isReady: () => ready });
  const stopSummary = startSummaryLog(() => manager.list(), logger, summarySeconds * 1000);
  ready = true;

  const code = await new Promise<number>((resolveExit) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        resolveExit(1);
        return;
      }
      stopping = true;
      ready = false;
      logger.info({ signal }, 'stopping: flushing in-flight batches and saving checkpoints');
      stopSummary();
      manager
        .stopAll()
        .then(() => controlPlane.close())
        .then(() => closeDeadLetterJournals())
        .then(() => backend.close())
        .then(() => resolveExit(0), (e) => {
          logger.error({ err: e }, 'error during shutdown');
          resolveExit(1);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  logger.flush?.();
  return code;
}

function engineVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'dev';
  }
}
