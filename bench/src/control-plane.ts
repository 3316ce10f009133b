import { MemoryCheckpointBackend } from '@tidemark/engine/checkpoints/index';
import type { ChangeEvent } from '@tidemark/engine/event/index';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { PrometheusMetrics } from '@tidemark/engine/metrics/index';
import { PipelineManager, type ComponentFactory } from '@tidemark/engine/runtime/index';
import { MemorySource, NullSink } from '@tidemark/engine/testing/index';
import { withPeakRss, type BenchResult } from './report.js';

/**
 * What the control plane adds to the hot path: a pipeline run by the PipelineManager (per-batch
 * hooks fanned out to Prometheus and the activity tracker, timed processors) against the same
 * pipeline with metrics off. Source and sink are in memory, so the difference is ours.
 */
export async function benchControlPlane(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 2_000_000;
  return [await runOnce(total, false), await runOnce(total, true)];
}

async function runOnce(total: number, withMetrics: boolean): Promise<BenchResult> {
  const row = { id: 0, name: 'bench', amount: '12.50' };
  const source = new MemorySource(
    {
      length: total,
      at: (i): ChangeEvent => ({
        id: `e${i}`,
        source: { connector: 'memory', name: 'bench', db: 'db', table: 't', position: { offset: i } },
        op: 'c',
        before: null,
        after: row,
        tx: { id: `tx${i >> 2}`, index: i & 3, end: (i & 3) === 3 },
        ts: Date.now(),
        schemaVersion: null,
        size: 100,
        primaryKey: ['id'],
      }),
    },
    { id: 'bench', chunk: 8192 },
  );
  const sink = new NullSink('null');
  const components: ComponentFactory = { source: () => source, sink: () => sink, processor: (spec) => ({ id: spec.id, process: (e) => e }) };
  const prometheus = new PrometheusMetrics({ processMetrics: false });
  const manager = new PipelineManager({ backend: new MemoryCheckpointBackend(), logger: silentLogger(), components, ...(withMetrics ? { metrics: (spec) => prometheus.forPipeline(spec.metadata.name) } : {}) });
  const document = {
    apiVersion: 'tidemark/v1',
    kind: 'Pipeline',
    metadata: { name: 'bench', tenant: 'bench' },
    spec: {
      source: { type: 'mysql', config: { id: 'bench', dsn: 'mysql://bench@127.0.0.1/bench' } },
      processors: [{ type: 'filter', id: 'noop' }],
      sinks: [{ type: 'redis', config: { id: 'null', uri: 'redis://127.0.0.1', stream: 's' } }],
      batch: { max_events: 2000, max_bytes: 64 * 1024 * 1024, max_ms: 1000, max_inflight: 4 },
    },
  };
  const { value: seconds, peakRssMb } = await withPeakRss(async () => {
    const started = performance.now();
    await manager.create(document).whenStarted();
    await source.finished();
    await manager.stopAll();
    return (performance.now() - started) / 1000;
  });
  if (sink.events !== total) throw new Error(`benchmark lost events: ${sink.events} of ${total} delivered`);
  const scrapeBytes = withMetrics ? (await prometheus.text()).length : 0;
  return { name: `pipeline manager, ${withMetrics ? 'Prometheus + activity hooks' : 'metrics off'}`, events: total, seconds, peakRssMb, notes: `${sink.batches} batches${withMetrics ? `, scrape ${scrapeBytes} bytes` : ''}` };
}
