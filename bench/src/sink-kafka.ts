import kafkajs from 'kafkajs';
import { address, registryUrl, startTopology, type ServiceName, type Topology } from '@tidemark/chaos/infra/index';
import { kafkaSinkConfig, type KafkaSinkConfig } from '@tidemark/engine/config/sinks';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { NOOP_SINK_METRICS } from '@tidemark/engine/metrics/hooks';
import { KafkaSink } from '@tidemark/engine/sinks/kafka/index';
import { resolveProducerSettings } from '@tidemark/engine/sinks/kafka/client-conf';
import { createClientAdapter } from '@tidemark/engine/sinks/kafka/load-client';
import { MessageBuilder } from '@tidemark/engine/sinks/kafka/messages';
import { withPeakRss, type BenchResult } from './report.js';
import { benchLog, runBaseline, runThroughSink } from './sink-run.js';
import { withSourceSchemas } from './source-schemas.js';

const CLIENTS = ['confluent', 'kafkajs'] as const;
const ENCODINGS = ['json', 'avro'] as const;
type Encoding = (typeof ENCODINGS)[number];
const MODES = [
  { name: 'at-least-once', exactlyOnce: false },
  { name: 'exactly-once', exactlyOnce: true },
] as const;

/**
 * `generatedLog` (payloadBytes 500, transactions of 4) -> coordinator -> Kafka sink, against a
 * native single-node broker on its direct listener (Toxiproxy would only measure itself), for
 * both clients, at-least-once and exactly-once. Batches of BENCH_KAFKA_BATCH events (default
 * 10,000), 4 in flight, memory checkpoints: the sink is what is measured.
 * Env: BENCH_KAFKA_CLIENTS=confluent,kafkajs  BENCH_KAFKA_MODES=at-least-once,exactly-once
 *      BENCH_KAFKA_PARTITIONS (default 6)  BENCH_KAFKA_BATCH  BENCH_KAFKA_CONF='{"linger.ms":"5"}'
 *      BENCH_KAFKA_RAW=1 adds, per client, the ceiling of the client alone: the same records,
 *      built once, sent again and again through the adapter (no source, coordinator or envelope);
 *      with BENCH_KAFKA_MODES= (empty) it is the only run.
 *      BENCH_KAFKA_HEADERS=full|compact|none: the sink's metadata_headers (default full), for the
 *      client-alone run too (what the binding's produce costs per header).
 *      BENCH_BASELINE=1 adds the same log through a null sink (the source and coordinator's share).
 *      BENCH_KAFKA_ENCODINGS=json,avro (default json): avro also starts the schema registry
 *      (Apicurio, direct endpoint) and encodes each event as Avro in Confluent's wire format, the
 *      events carrying their table's columns as a source's do (schemas registered once).
 */
export async function benchSinkKafka(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 1_000_000;
  const clients = (process.env.BENCH_KAFKA_CLIENTS?.split(',') ?? CLIENTS) as Array<(typeof CLIENTS)[number]>;
  const modes = MODES.filter((m) => (process.env.BENCH_KAFKA_MODES?.split(',') ?? MODES.map((x) => x.name)).includes(m.name));
  const encodings = ENCODINGS.filter((e) => (process.env.BENCH_KAFKA_ENCODINGS?.split(',') ?? ['json']).includes(e));
  const services: ServiceName[] = encodings.includes('avro') ? ['kafka', 'schema-registry'] : ['kafka'];
  const topology = await startTopology(services, { provider: 'native' });
  const results: BenchResult[] = [];
  if (process.env.BENCH_BASELINE === '1') results.push(await runBaseline(total, Number(process.env.BENCH_KAFKA_BATCH ?? 10_000)));
  try {
    for (const client of clients) {
      if (process.env.BENCH_KAFKA_RAW === '1') results.push(await runRaw(topology, total, client));
      for (const mode of modes) {
        for (const encoding of encodings) results.push(await runOnce(topology, total, client, mode.exactlyOnce, encoding, `sink-kafka ${client} ${mode.name}${encodings.length > 1 || encoding !== 'json' ? ` ${encoding}` : ''}`));
      }
    }
  } finally {
    await topology.down();
  }
  return results;
}

async function runOnce(topology: Topology, total: number, client: (typeof CLIENTS)[number], exactlyOnce: boolean, encoding: Encoding, name: string): Promise<BenchResult> {
  const brokers = address(topology.get('kafka'), 'direct');
  const batchEvents = Number(process.env.BENCH_KAFKA_BATCH ?? 10_000);
  const pipeline = `bench-${client}-${exactlyOnce ? 'eos' : 'alo'}-${encoding}`;
  const config: KafkaSinkConfig = kafkaSinkConfig.parse({
    id: 'kafka',
    brokers,
    topic: pipeline,
    client,
    exactly_once: exactlyOnce,
    client_conf: JSON.parse(process.env.BENCH_KAFKA_CONF ?? '{}') as Record<string, string>,
    metadata_headers: headersFromEnv(),
    ...(encoding === 'avro' ? { encoding: { type: 'avro', schema_registry_url: registryUrl(topology.get('schema-registry').info(), 'direct') } } : {}),
  });
  const sink = new KafkaSink(config, { pipeline, tenant: 'bench', logger: silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled: false });
  await createTopic(brokers, pipeline, Number(process.env.BENCH_KAFKA_PARTITIONS ?? 6));
  const result = await runThroughSink(sink, total, batchEvents, pipeline, name, withSourceSchemas(benchLog(total)));
  return { ...result, notes: `${sink.clientName}, ${encoding}, ${config.metadata_headers} headers, ${result.notes}` };
}

/** BENCH_KAFKA_HEADERS, for the pipeline rows and the client-alone row alike. */
function headersFromEnv(): string {
  return process.env.BENCH_KAFKA_HEADERS ?? 'full';
}

/** Creates the benchmark topic with a few partitions (auto-creation would give it one). */
export async function createTopic(brokers: string, topic: string, partitions: number): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  } finally {
    await admin.disconnect();
  }
}

/** The client's own ceiling on this host: one batch of real records, built once, sent at-least-once over and over. */
async function runRaw(topology: Topology, total: number, client: (typeof CLIENTS)[number]): Promise<BenchResult> {
  const brokers = address(topology.get('kafka'), 'direct');
  const batchEvents = Number(process.env.BENCH_KAFKA_BATCH ?? 10_000);
  const pipeline = `bench-${client}-raw`;
  const config = kafkaSinkConfig.parse({ id: 'kafka', brokers, topic: pipeline, client, metadata_headers: headersFromEnv() });
  await createTopic(brokers, pipeline, Number(process.env.BENCH_KAFKA_PARTITIONS ?? 6));
  const settings = resolveProducerSettings(config, { pipeline });
  const adapter = createClientAdapter(config, settings, silentLogger());
  const log = benchLog(batchEvents);
  const events = Array.from({ length: batchEvents }, (_, i) => log.at(i));
  const { topics } = new MessageBuilder(config, { pipeline, tenant: 'bench', maxMessageBytes: settings.maxMessageBytes }).build(events);
  const producer = await adapter.connectProducer();
  try {
    const cpuBefore = process.cpuUsage();
    const { value: seconds, peakRssMb } = await withPeakRss(async () => {
      const started = performance.now();
      for (let sent = 0; sent < total; sent += batchEvents) await producer.send(topics);
      return (performance.now() - started) / 1000;
    });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuUs = (cpu.user + cpu.system) / total;
    return { name: `client alone: ${client} produce`, events: total, seconds, peakRssMb, notes: `same ${batchEvents} records re-sent, ${config.metadata_headers} headers, engine CPU ${cpuUs.toFixed(1)} µs/event` };
  } finally {
    await producer.disconnect();
    await adapter.close();
  }
}
