import { MemoryCheckpointBackend, SqliteCheckpointBackend, type CheckpointBackend } from '@tidemark/engine/checkpoints/index';
import { Coordinator } from '@tidemark/engine/coordinator/index';
import type { ChangeEvent } from '@tidemark/engine/event/index';
import { MemorySource, NullSink } from '@tidemark/engine/testing/index';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPeakRss, type BenchResult } from './report.js';

/**
 * In-memory source -> coordinator -> null sink, batches of 2,000 events in transactions of 4.
 * Events are made on the fly so the log itself does not dominate memory.
 */
export async function benchCoordinator(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 2_000_000;
  const results: BenchResult[] = [];
  for (const store of ['memory', 'sqlite'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-bench-'));
    const backend: CheckpointBackend = store === 'memory' ? new MemoryCheckpointBackend() : new SqliteCheckpointBackend(join(dir, 'checkpoints.db'));
    try {
      results.push(await runOnce(total, backend, `coordinator (${store} checkpoints)`));
    } finally {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

async function runOnce(total: number, backend: CheckpointBackend, name: string): Promise<BenchResult> {
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
        ts: 0,
        schemaVersion: null,
        size: 100,
        primaryKey: ['id'],
      }),
    },
    { id: 'bench', chunk: 8192 },
  );
  const sink = new NullSink();
  const coordinator = new Coordinator({
    pipeline: 'bench',
    tenant: 'bench',
    source,
    sinks: [sink],
    batch: { max_events: 2000, max_bytes: 64 * 1024 * 1024, max_ms: 1000, respect_source_tx: true, max_inflight: 4 },
    commitPolicy: { mode: 'required' },
    store: backend.forPipeline('bench'),
  });
  const { value: seconds, peakRssMb } = await withPeakRss(async () => {
    const started = performance.now();
    await coordinator.start();
    await source.finished();
    await coordinator.stop();
    return (performance.now() - started) / 1000;
  });
  if (sink.events !== total) throw new Error(`benchmark lost events: ${sink.events} of ${total} delivered`);
  return { name, events: total, seconds, peakRssMb, notes: `${sink.batches} batches` };
}
