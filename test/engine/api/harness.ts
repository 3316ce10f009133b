import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApiServer, type ApiServer } from '../../../engine/src/api/index.js';
import { MemoryCheckpointBackend } from '../../../engine/src/checkpoints/index.js';
import { closeDeadLetterJournals, openDeadLetterJournal } from '../../../engine/src/journal/index.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { PrometheusMetrics } from '../../../engine/src/metrics/index.js';
import { LogLevelControl, PipelineManager, pipelineStatusViews } from '../../../engine/src/runtime/index.js';
import { TestComponents } from '../runtime/fixtures.js';

export interface Harness {
  readonly api: ApiServer;
  readonly manager: PipelineManager;
  readonly components: TestComponents;
  readonly backend: MemoryCheckpointBackend;
  readonly metrics: PrometheusMetrics;
  readonly dataDir: string;
  ready: boolean;
  close(): Promise<void>;
}

/** An API server over a manager whose pipelines use in-memory sources and sinks. */
export async function startHarness(options: { token?: string; metricsOnApi?: boolean } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidemark-api-'));
  const logger = silentLogger();
  const components = new TestComponents();
  const backend = new MemoryCheckpointBackend();
  const metrics = new PrometheusMetrics({ processMetrics: false });
  const manager = new PipelineManager({
    backend,
    logger,
    components,
    restartBackoff: { baseMs: 10, capMs: 20 },
    metrics: (spec) => metrics.forPipeline(spec.metadata.name),
    openDlq: (spec) => openDeadLetterJournal(dataDir, spec, { metrics: metrics.journal(spec.metadata.name) }),
  });
  metrics.observePipelines(() => pipelineStatusViews(manager));
  const h = {
    ready: true,
    manager,
    components,
    backend,
    metrics,
    dataDir,
  } as Harness;
  const api = await buildApiServer({
    manager,
    backend,
    logger,
    logControl: new LogLevelControl(logger),
    token: options.token,
    isReady: () => h.ready,
    metrics: options.metricsOnApi ? metrics : undefined,
    recordRequest: (route, method, status, seconds) => metrics.apiRequest(route, method, status, seconds),
  });
  Object.assign(h, {
    api,
    close: async () => {
      await manager.stopAll();
      await api.app.close();
      closeDeadLetterJournals();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return h;
}
