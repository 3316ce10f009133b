import { Redis } from 'ioredis';
import { redisOptions, startTopology } from '@tidemark/chaos/infra/index';
import { redisSinkConfig } from '@tidemark/engine/config/sinks';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { NOOP_SINK_METRICS } from '@tidemark/engine/metrics/hooks';
import { RedisSink } from '@tidemark/engine/sinks/redis/index';
import type { BenchResult } from './report.js';
import { runBaseline, runThroughSink } from './sink-run.js';

const MODES = [
  { name: 'at-least-once', exactlyOnce: false },
  { name: 'exactly-once', exactlyOnce: true },
] as const;

/**
 * `generatedLog` (payloadBytes 500, transactions of 4) -> coordinator -> Redis Streams sink on
 * the native server's direct port, at-least-once (pipelined XADD) and exactly-once (one Lua
 * script per batch). Batches of BENCH_REDIS_BATCH events (default 2,000), 4 in flight, memory
 * checkpoints. The stream is deleted after each mode (1M entries hold ~1 GB of Redis memory).
 * Env: BENCH_REDIS_MODES=at-least-once,exactly-once  BENCH_REDIS_BATCH  BENCH_BASELINE=1 (adds the
 *      same log through a null sink: the source and coordinator's share of the CPU)
 */
export async function benchSinkRedis(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 1_000_000;
  const modes = MODES.filter((m) => (process.env.BENCH_REDIS_MODES?.split(',') ?? MODES.map((x) => x.name)).includes(m.name));
  const batchEvents = Number(process.env.BENCH_REDIS_BATCH ?? 2000);
  const topology = await startTopology(['redis'], { provider: 'native' });
  const direct = redisOptions(topology.get('redis'), 'direct');
  const admin = new Redis(direct);
  const results: BenchResult[] = [];
  if (process.env.BENCH_BASELINE === '1') results.push(await runBaseline(total, batchEvents));
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
      const result = await runThroughSink(sink, total, batchEvents, pipeline, `sink-redis ${mode.name}`);
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
