import kafkajs from 'kafkajs';
import { address, startTopology } from '@tidemark/chaos/infra/index';
import { MemoryCheckpointBackend } from '@tidemark/engine/checkpoints/index';
import { filterProcessor, kafkaSinkConfig } from '@tidemark/engine/config/index';
import { Coordinator } from '@tidemark/engine/coordinator/index';
import type { ChangeEvent } from '@tidemark/engine/event/index';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { NOOP_PROCESSOR_METRICS } from '@tidemark/engine/metrics/hooks';
import { NOOP_SINK_METRICS } from '@tidemark/engine/metrics/hooks';
import type { Processor } from '@tidemark/engine/processors/processor';
import { createProcessor } from '@tidemark/engine/processors/registry';
import { KafkaSink } from '@tidemark/engine/sinks/kafka/index';
import type { Sink } from '@tidemark/engine/sinks/sink';
import { MemorySource, NullSink, type MemoryPosition } from '@tidemark/engine/testing/index';
import { eventsPerSecond, withPeakRss, type BenchResult } from './report.js';

const NOOP_SCRIPT = 'function processBatch(events) { return events; }';
const REDACT_SCRIPT = `function processBatch(events) {
  for (const e of events) {
    for (const image of [e.before, e.after]) if (image && image.email) image.email = image.email.replace(/^[^@]*/, '***');
    e.tags = ['redacted'];
  }
  return events;
}`;

/**
 * The same pipeline without a processor, with a no-op script, with a redaction script (and a
 * filter, for scale), measured in the same run: stage cost = 1 - (events/s with) / (without).
 * Two sinks: a null sink (source + coordinator + stage only: the JS stage's own ceiling) and
 * a real Kafka sink (native broker, confluent client, at-least-once: a production pipeline).
 * In-memory source, batches of 2,000 in transactions of 4, rows of 8 columns (~250 bytes).
 * Env: BENCH_PROCESSORS_SINKS=null,kafka (default both).
 */
export async function benchProcessors(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 400_000;
  const sinks = process.env.BENCH_PROCESSORS_SINKS?.split(',') ?? ['null', 'kafka'];
  const ctx = { pipeline: 'bench', tenant: 'bench', logger: silentLogger(), metrics: NOOP_PROCESSOR_METRICS };
  const js = (id: string, inline: string) => createProcessor({ type: 'javascript', id, inline, limits: { cpu_ms: 1000, mem_mb: 256, timeout_ms: 5000 } }, ctx);
  const cases: Array<[string, () => Processor[]]> = [
    ['no processor', () => []],
    ['javascript no-op script', () => [js('noop', NOOP_SCRIPT)]],
    ['javascript redaction script', () => [js('redact', REDACT_SCRIPT)]],
    ['filter (status eq active)', () => [createProcessor(filterProcessor.parse({ type: 'filter', fields: [{ path: 'status', op: 'eq', value: 'active' }] }), ctx)]],
  ];
  const results: BenchResult[] = [];
  if (sinks.includes('null')) results.push(...(await compare(cases, total, 'null sink', async () => new NullSink())));
  if (sinks.includes('kafka')) {
    const topology = await startTopology(['kafka'], { provider: 'native' });
    try {
      const brokers = address(topology.get('kafka'), 'direct');
      let n = 0;
      results.push(
        ...(await compare(cases, total, 'kafka', async () => {
          const topic = `bench-processors-${++n}`;
          await createTopic(brokers, topic);
          return new KafkaSink(kafkaSinkConfig.parse({ id: 'kafka', brokers, topic, client: 'confluent' }), { pipeline: topic, tenant: 'bench', logger: silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled: false });
        })),
      );
    } finally {
      await topology.down();
    }
  }
  return results;
}

async function compare(cases: Array<[string, () => Processor[]]>, total: number, sinkName: string, makeSink: () => Promise<Sink>): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [name, make] of cases) {
    // A short run first: the JIT of the host and of the isolate, the isolate's start, the topic.
    await runOnce(Math.min(total, 20_000), make(), await makeSink(), name);
    results.push(await runOnce(total, make(), await makeSink(), `${name} -> ${sinkName}`));
  }
  const base = eventsPerSecond(results[0]!);
  return results.map((r, i) => (i === 0 ? r : { ...r, notes: `${r.notes}; stage cost ${(100 * (1 - eventsPerSecond(r) / base)).toFixed(1)} % of the no-processor throughput` }));
}

async function runOnce(total: number, processors: Processor[], sink: Sink, name: string): Promise<BenchResult> {
  const source = new MemorySource({ length: total, at: eventAt }, { id: 'bench', chunk: 8192 });
  const coordinator = new Coordinator({
    pipeline: 'bench',
    tenant: 'bench',
    source,
    sinks: [sink],
    processors,
    batch: { max_events: 2000, max_bytes: 64 * 1024 * 1024, max_ms: 1000, respect_source_tx: true, max_inflight: 4 },
    commitPolicy: { mode: 'required' },
    store: new MemoryCheckpointBackend().forPipeline('bench'),
  });
  const cpuBefore = process.cpuUsage();
  const { value: seconds, peakRssMb } = await withPeakRss(async () => {
    const started = performance.now();
    await coordinator.start();
    // Until the last event is committed (acknowledged to the source), not merely read.
    while ((source.acknowledged.at(-1) as MemoryPosition | undefined)?.offset !== total - 1) {
      if (coordinator.state === 'failed') throw new Error(`${name}: pipeline failed: ${coordinator.failure?.message}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    await coordinator.stop();
    return seconds;
  });
  const cpu = process.cpuUsage(cpuBefore);
  for (const p of processors) await p.close?.();
  if (sink instanceof NullSink) {
    const expected = name.startsWith('filter') ? total / 2 : total;
    if (sink.events !== expected) throw new Error(`${name}: ${sink.events} of ${expected} events delivered`);
  }
  return { name: `processors: ${name}`, events: total, seconds, peakRssMb, notes: `engine CPU ${((cpu.user + cpu.system) / total).toFixed(1)} µs/event (all threads, isolate included)` };
}

async function createTopic(brokers: string, topic: string): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
  } finally {
    await admin.disconnect();
  }
}

/** A customer row; every other one active. Made on the fly so the log does not dominate memory. */
function eventAt(i: number): ChangeEvent {
  return {
    id: `e${i}`,
    source: { connector: 'memory', name: 'bench', db: 'shop', table: 'customers', position: { offset: i } },
    op: 'c',
    before: null,
    after: { id: i, email: `customer${i}@example.com`, name: 'Ada Lovelace', status: i % 2 ? 'active' : 'closed', balance: '1024.50', country: 'GB', created_at: '2024-05-01T10:00:00.000Z', score: i % 100 },
    tx: { id: `tx${i >> 2}`, index: i & 3, end: (i & 3) === 3 },
    ts: 0,
    schemaVersion: null,
    size: 250,
    primaryKey: ['id'],
  };
}
