import { Redis } from 'ioredis';
import { redisOptions, startTopology } from '@tidemark/chaos/infra/index';
import { MemoryCheckpointBackend } from '@tidemark/engine/checkpoints/index';
import { redisSinkConfig } from '@tidemark/engine/config/sinks';
import { Coordinator } from '@tidemark/engine/coordinator/index';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { NOOP_SINK_METRICS } from '@tidemark/engine/metrics/hooks';
import { RedisSink } from '@tidemark/engine/sinks/redis/index';
import { generatedLog, MemorySource, type MemoryPosition } from '@tidemark/engine/testing/index';
import { withPeakRss, type BenchResult } from './report.js';

const MODES = [
  { name: 'at-least-once', exactlyOnce: false },
  { name: 'exactly-once', exactlyOnce: true },
] as const;

/**
 * `generatedLog` (payloadBytes 500, transactions of 4) -> coordinator -> Redis Streams sink on
 * the native server's direct port, at-least-once (pipelined XADD) and exactly-once (one Lua
 * script per batch). Batches of BENCH_REDIS_BATCH events (default 2,000), 4 in flight, memory
 * checkpoints. The stream is deleted after each mode (1M entries hold ~1 GB of Redis memory).
 * Env: BENCH_REDIS_MODES=at-least-once,exactly-once  BENCH_REDIS_BATCH
 */
export async function benchSinkRedis(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 1_000_000;
  const modes = MODES.filter((m) => (process.env.BENCH_REDIS_MODES?.split(',') ?? MODES.map((x) => x.name)).includes(m.name));
  const batchEvents = Number(process.env.BENCH_REDIS_BATCH ?? 2000);
  const topology = await startTopology(['redis'], { provider: 'native' });
  const direct = redisOptions(topology.get('redis'), 'direct');
  const admin = new Redis(direct);
  const results: BenchResult[] = [];
  try {
    for (const mode of modes) {
      const pipeline = `bench-redis-${mode.exactlyOnce ? 'eos' : 'alo'}`;
      const sink = new RedisSink(redisSinkConfig.parse({ id: 'redis', uri: `redis://${direct.host}:${direct.port}`, stream: pipeline, exactly_once: mode.exactlyOnce }), {
        pipeline,
        tenant: 'bench',
        logger: silentLogger(),
        metrics: NOOP_SINK_METRICS,
        dlqEnabled: false,
      });
      const result = await runOnce(sink, total, batchEvents, pipeline, `sink-redis ${mode.name}`);
      const stored = await admin.xlen(pipeline);
      if (stored < total) throw new Error(`${pipeline}: only ${stored} of ${total} entries in the stream`);
      results.push({ ...result, notes: `${result.notes}, ${stored} entries` });
      await admin.del(pipeline);
    }
  } finally {
    admin.disconnect();
    await topology.down();
  }
  return results;
}

/** Shared by the Redis and NATS benchmarks: runs the log through one sink until the last offset is committed. */
export async function runOnce(sink: ConstructorParameters<typeof Coordinator>[0]['sinks'][number], total: number, batchEvents: number, pipeline: string, name: string): Promise<BenchResult> {
  const source = new MemorySource(generatedLog({ events: total, txSize: 4, keys: 10_000, payloadBytes: 500 }), { id: 'bench', chunk: 8192 });
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
  // On a shared machine wall time says little; engine CPU per event says what the sink costs here.
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
  return { name, events: total, seconds, peakRssMb, notes: `batches of ${batchEvents}, engine CPU ${cpuUsPerEvent.toFixed(1)} µs/event (≈${Math.round(1e6 / cpuUsPerEvent).toLocaleString('en-US')} events per CPU-second)` };
}
