import { join } from 'node:path';
import { EngineProcess } from '@tidemark/chaos/engine/engine-process';
import { allocatePort } from '@tidemark/chaos/infra/ports';
import { openCheckpointBackend, sinkCheckpointKey } from '@tidemark/engine/checkpoints/index';
import type { Position } from '@tidemark/engine/event/index';

/** Batching as Debezium's max.batch.size=10000 / max.queue.size=40000: 10,000-event batches, 4 in flight. */
export const TIDEMARK_BATCH = { max_events: 10_000, max_bytes: 32 * 1024 * 1024, max_ms: 100, respect_source_tx: true, max_inflight: 4 };

export interface TidemarkRun {
  readonly engine: EngineProcess;
  /** null while the pipeline runs; otherwise why it does not. */
  deathNotice(): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * `tidemark run` as its own process (the chaos harness's EngineProcess, so it is measured the way
 * the Connect JVM is), one pipeline created through the API. `resumeFrom`, when given, is written
 * into the engine's checkpoint store first: the checkpoint a previous run would have left just
 * before the backlog (MySQL; a Postgres pipeline starts from its slot instead).
 */
export async function startTidemark(o: { dir: string; document: { metadata: { name: string }; spec: { source: { config: { id: string } } } }; sinkId: string; resumeFrom?: Position; cpuProfileDir?: string; nodeArgs?: readonly string[] }): Promise<TidemarkRun> {
  const dataDir = join(o.dir, 'data');
  const profile = o.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`, `--cpu-prof-name=${o.document.metadata.name}-${Date.now()}.cpuprofile`] : [];
  const nodeArgs = [...(o.nodeArgs ?? []), ...profile];
  const engine = new EngineProcess({ dataDir, apiPort: await allocatePort(), metricsPort: await allocatePort(), logFile: join(o.dir, 'engine.log'), logLevel: 'info', nodeArgs });
  if (o.resumeFrom) {
    const backend = openCheckpointBackend('sqlite', dataDir);
    await backend.forPipeline(o.document.metadata.name).save([{ key: sinkCheckpointKey(o.document.spec.source.config.id, o.sinkId), position: o.resumeFrom }]);
    await backend.close();
  }
  await engine.start(60_000);
  try {
    await engine.api.createPipeline(o.document);
  } catch (e) {
    await engine.stop();
    throw e;
  }
  const name = o.document.metadata.name;
  return {
    engine,
    async deathNotice() {
      if (!engine.running) return `the engine exited; last lines of ${engine.logFile}:\n${engine.tail(25)}`;
      const info = await engine.api.getPipeline(name).catch(() => null);
      if (info?.status === 'failed') return `pipeline ${name} failed: ${info.failure?.code} ${info.failure?.message}; log ${engine.logFile}`;
      return null;
    },
    stop: () => engine.stop(30_000),
  };
}
