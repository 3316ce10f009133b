import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsServers, startTopology } from '@tidemark/chaos/infra/index';
import { natsSinkConfig } from '@tidemark/engine/config/sinks';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { NOOP_SINK_METRICS } from '@tidemark/engine/metrics/hooks';
import { NatsSink } from '@tidemark/engine/sinks/nats/index';
import type { BenchResult } from './report.js';
import { runBaseline, runThroughSink } from './sink-run.js';

/**
 * `generatedLog` (payloadBytes 500, transactions of 4) -> coordinator -> NATS JetStream sink on
 * the native server's direct port (file storage, duplicate window 2 min): every publish carries
 * Nats-Msg-Id and is awaited. Batches of BENCH_NATS_BATCH events (default 2,000), 4 in flight.
 */
export async function benchSinkNats(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 1_000_000;
  const batchEvents = Number(process.env.BENCH_NATS_BATCH ?? 2000);
  const topology = await startTopology(['nats'], { provider: 'native' });
  const servers = natsServers(topology.get('nats'), 'direct');
  const pipeline = 'bench-nats';
  try {
    const sink = new NatsSink(natsSinkConfig.parse({ id: 'nats', url: `nats://${servers}`, subject: 'bench.${source.table}', stream: 'BENCH', create_stream: true }), {
      pipeline,
      tenant: 'bench',
      logger: silentLogger(),
      metrics: NOOP_SINK_METRICS,
      dlqEnabled: false,
    });
    const result = await runThroughSink(sink, total, batchEvents, pipeline, 'sink-nats at-least-once (server dedup)');
    const nc = await connect({ servers });
    const stored = (await (await jetstreamManager(nc)).streams.info('BENCH')).state.messages;
    await nc.close();
    if (stored < total) throw new Error(`BENCH: only ${stored} of ${total} messages in the stream`);
    const baseline = process.env.BENCH_BASELINE === '1' ? [await runBaseline(total, batchEvents)] : [];
    return [...baseline, { ...result, notes: `${result.notes}, ${stored} messages` }];
  } finally {
    await topology.down();
  }
}
