import { MemoryCheckpointBackend } from '@tidemark/engine/checkpoints/index';
import { Coordinator } from '@tidemark/engine/coordinator/index';
import type { Sink } from '@tidemark/engine/sinks/sink';
import { generatedLog, MemorySource, NullSink, type MemoryLog, type MemoryPosition } from '@tidemark/engine/testing/index';
import { withPeakRss, type BenchResult } from './report.js';

/** What every sink benchmark sends: 500-byte payloads (a ~640-byte native envelope), transactions of 4. */
export function benchLog(total: number): ReturnType<typeof generatedLog> {
  return generatedLog({ events: total, txSize: 4, keys: 10_000, payloadBytes: 500 });
}

export interface SinkRun extends BenchResult {
  /** Engine process CPU (user + system, every thread: librdkafka's included) per event. */
  readonly cpuUsPerEvent: number;
}

/**
 * Runs the benchmark log through one sink (coordinator, batches of `batchEvents`, 4 in flight,
 * memory checkpoints) until the last offset is committed. On this shared machine wall time
 * depends on the neighbours; engine CPU per event says what the pipeline costs.
 */
export async function runThroughSink(sink: Sink, total: number, batchEvents: number, pipeline: string, name: string, log: MemoryLog = benchLog(total)): Promise<SinkRun> {
  const source = new MemorySource(log, { id: 'bench', chunk: 8192 });
  const coordinator = new Coordinator({
    pipeline,
    tenant: 'bench',
    source,
    sinks: [sink],
    batch: { max_events: batchEvents, max_bytes: 64 * 1024 * 1024, max_ms: 100, respect_source_tx: true, max_inflight: 4 },
    commitPolicy: { mode: 'required' },
    store: new MemoryCheckpointBackend().forPipeline(pipeline),
  });
  const last = total - 1;
  const cpuBefore = process.cpuUsage();
  const { value: seconds, peakRssMb } = await withPeakRss(async () => {
    const started = performance.now();
    await coordinator.start();
    while (source.acknowledged.length === 0 || (source.acknowledged[source.acknowledged.length - 1] as MemoryPosition).offset < last) {
      if (coordinator.state === 'failed') throw new Error(`${name}: pipeline failed: ${coordinator.failure?.message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    await coordinator.stop();
    return seconds;
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUsPerEvent = (cpu.user + cpu.system) / total;
  return { name, events: total, seconds, peakRssMb, cpuUsPerEvent, notes: `batches of ${batchEvents}, engine CPU ${cpuUsPerEvent.toFixed(1)} µs/event` };
}

/** The same log through a sink that does nothing: what the source and coordinator cost, to subtract. */
export async function runBaseline(total: number, batchEvents: number): Promise<SinkRun> {
  const run = await runThroughSink(new NullSink(), total, batchEvents, 'bench-null', 'baseline: generated log -> null sink');
  return { ...run, notes: `${run.notes} (source + coordinator only)` };
}
