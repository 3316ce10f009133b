import { MemoryCheckpointBackend, type CheckpointStore } from '@tidemark/engine/checkpoints/index';
import { Coordinator } from '@tidemark/engine/coordinator/index';
import type { Source } from '@tidemark/engine/sources/source';
import { NullSink } from '@tidemark/engine/testing/index';
import { withPeakRss } from './report.js';

const BATCH = { max_events: 2000, max_bytes: 64 * 1024 * 1024, max_ms: 100, respect_source_tx: true, max_inflight: 4 };

export interface Drained {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly batches: number;
}

/**
 * What the source benchmarks time: `source` -> coordinator (batches of 2,000, 4 in flight, memory
 * checkpoints) -> null sink, until `total` events arrived. `prepare` may seed the store first
 * (the checkpoint a previous run would have left).
 */
export async function drainToNullSink(source: Source, total: number, prepare?: (store: CheckpointStore, sink: NullSink) => Promise<void>): Promise<Drained> {
  const sink = new NullSink();
  const backend = new MemoryCheckpointBackend();
  const store = backend.forPipeline('bench');
  await prepare?.(store, sink);
  const coordinator = new Coordinator({ pipeline: 'bench', tenant: 'bench', source, sinks: [sink], batch: BATCH, commitPolicy: { mode: 'required' }, store });
  const { value: seconds, peakRssMb } = await withPeakRss(async () => {
    const started = performance.now();
    await coordinator.start();
    while (sink.events < total) {
      if (coordinator.state === 'failed') throw coordinator.failure;
      await new Promise((r) => setTimeout(r, 5));
    }
    const elapsed = (performance.now() - started) / 1000;
    await coordinator.stop();
    return elapsed;
  });
  await backend.close();
  if (sink.events !== total) throw new Error(`benchmark lost events: ${sink.events} of ${total} delivered`);
  return { seconds, peakRssMb, batches: sink.batches };
}
