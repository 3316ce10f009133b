import { address, startTopology, type Topology } from '@tidemark/chaos/infra/index';
import { ConnectStandalone } from './connect.js';
import { writeBacklog, type Backlog, type SourceKind } from './backlog.js';
import { startProducerPerf } from './ceiling.js';
import type { DebeziumInstall } from './install.js';
import { measure, type Measured } from './measure.js';
import { startTidemark, TIDEMARK_BATCH } from './tidemark.js';
import { pluginFor } from './versions.js';

export interface CompareOptions {
  readonly rows: number;
  readonly partitions: number;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
  /** librdkafka properties for Tidemark's sink and, translated, for the ceiling (empty: the sink's defaults). */
  readonly clientConf: Readonly<Record<string, string>>;
  /** Which rows to run: debezium, the TIDEMARK_VARIANTS keys, ceiling. */
  readonly systems: ReadonlySet<string>;
  /** Batch settings for Tidemark's pipeline, merged over TIDEMARK_BATCH. */
  readonly batch: Readonly<Record<string, unknown>>;
  /** Extra Kafka sink fields for Tidemark (e.g. metadata_headers), merged over the bench's. */
  readonly sinkConf: Readonly<Record<string, unknown>>;
  /** Node flags for the engine process (e.g. --max-semi-space-size=64), as users would set in NODE_OPTIONS. */
  readonly nodeArgs: readonly string[];
  /** Where the engine writes a V8 CPU profile of each Tidemark run (`node --cpu-prof`), if anywhere. */
  readonly cpuProfileDir?: string;
}

/**
 * Tidemark's rows. `alo` and `eos` run the sink's defaults; the others change only how much
 * metadata each record carries (`metadata_headers`, docs/sinks/kafka.md): Debezium's records
 * carry none, so `-none` records are the same shape as Debezium's.
 */
export const TIDEMARK_VARIANTS = {
  alo: { exactlyOnce: false, sink: {}, label: 'Tidemark at-least-once' },
  eos: { exactlyOnce: true, sink: {}, label: 'Tidemark exactly-once' },
  'alo-compact': { exactlyOnce: false, sink: { metadata_headers: 'compact' }, label: 'Tidemark at-least-once, compact headers' },
  'eos-compact': { exactlyOnce: true, sink: { metadata_headers: 'compact' }, label: 'Tidemark exactly-once, compact headers' },
  'alo-none': { exactlyOnce: false, sink: { metadata_headers: 'none' }, label: 'Tidemark at-least-once, no headers' },
  'eos-none': { exactlyOnce: true, sink: { metadata_headers: 'none' }, label: 'Tidemark exactly-once, no headers' },
} as const;

export type TidemarkVariant = keyof typeof TIDEMARK_VARIANTS;

export interface SourceComparison {
  readonly source: SourceKind;
  readonly backlog: Pick<Backlog, 'rows' | 'loadSeconds'>;
  readonly debezium?: Measured;
  readonly tidemark: ReadonlyArray<{ readonly variant: TidemarkVariant; readonly measured: Measured }>;
  readonly ceiling?: Measured;
}

/**
 * One source, one fresh topology (the source server + a Kafka broker), one backlog; then each
 * system alone against it: Debezium on Connect standalone, Tidemark at-least-once, Tidemark
 * exactly-once (both `envelope: debezium`), and Kafka's producer benchmark replaying Tidemark's
 * record values (the ceiling).
 */
export async function compareSource(source: SourceKind, install: DebeziumInstall, o: CompareOptions): Promise<SourceComparison> {
  const log = (line: string) => o.progress(`[${source}] ${line}`);
  log(`starting ${source === 'mysql' ? 'MariaDB' : 'Postgres'} and Kafka (native)`);
  const topology = await startTopology([source, 'kafka'], { provider: 'native' });
  try {
    o.signal.throwIfAborted();
    const brokers = address(topology.get('kafka').info(), 'direct');
    const brokerPid = topology.get('kafka').pid;
    log(`writing ${o.rows.toLocaleString('en-US')} rows in 1,000-row transactions`);
    const variants = (Object.keys(TIDEMARK_VARIANTS) as TidemarkVariant[]).filter((v) => o.systems.has(v));
    const backlog = await writeBacklog(source, topology, o.rows, variants);
    log(`backlog written in ${backlog.loadSeconds.toFixed(1)} s`);
    const common = { brokers, brokerPid, partitions: o.partitions, rows: o.rows, signal: o.signal, progress: log };
    const tidemark: Array<{ variant: TidemarkVariant; measured: Measured }> = [];
    const result: { -readonly [K in keyof SourceComparison]: SourceComparison[K] } = { source, backlog: { rows: backlog.rows, loadSeconds: backlog.loadSeconds }, tidemark };
    if (o.systems.has('debezium')) result.debezium = await runDebezium(install, backlog, common);
    for (const variant of variants) tidemark.push({ variant, measured: await runTidemark(topology, backlog, variant, o, common) });
    const payloads = tidemark[0]?.measured.contents.sampleValues;
    if (o.systems.has('ceiling')) {
      if (!payloads) throw new Error('the ceiling replays Tidemark\'s record values: run a Tidemark row (alo, eos, ...) too');
      result.ceiling = await measure({
        ...common,
        name: 'kafka-producer-perf-test',
        topic: 'ceiling',
        checkRows: false,
        launch: async (dir) => {
          const perf = await startProducerPerf(install, { brokers, topic: 'ceiling', records: o.rows, dir, payloads, producerProps: ceilingProps(o.clientConf) });
          return { pid: () => (perf.running ? perf.pid : undefined), deathNotice: () => (perf.running ? null : `kafka-producer-perf-test exited (${JSON.stringify(perf.exitStatus)}); see ${dir}/producer-perf.log`), stop: async () => void (await perf.terminate('SIGTERM', 10_000)) };
        },
      });
    }
    return result;
  } finally {
    log('tearing down servers');
    await topology.down();
  }
}

type Common = Omit<Parameters<typeof measure>[0], 'name' | 'topic' | 'checkRows' | 'launch'>;

async function runDebezium(install: DebeziumInstall, backlog: Backlog, common: Common): Promise<Measured> {
  const plugin = pluginFor(backlog.source);
  const prefix = 'dbz';
  return measure({
    ...common,
    name: `Debezium ${plugin.version}`,
    topic: backlog.debeziumTopic(prefix),
    checkRows: true,
    launch: async (dir) => {
      const connector = {
        name: `dbz-${backlog.source}`,
        'connector.class': plugin.connectorClass,
        'tasks.max': '1',
        'topic.prefix': prefix,
        'max.batch.size': '10000',
        'max.queue.size': '40000',
        'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
        'schema.history.internal.file.filename': `${dir}/schema-history.dat`,
        ...backlog.debezium,
      };
      return ConnectStandalone.start(install, { brokers: common.brokers, dir, connector });
    },
  });
}

async function runTidemark(topology: Topology, backlog: Backlog, variant: TidemarkVariant, o: Pick<CompareOptions, 'clientConf' | 'sinkConf' | 'cpuProfileDir' | 'nodeArgs' | 'batch'>, common: Common): Promise<Measured> {
  const { exactlyOnce, sink, label } = TIDEMARK_VARIANTS[variant];
  const topic = `tidemark-${variant}`;
  const document = {
    apiVersion: 'tidemark/v1',
    kind: 'Pipeline',
    metadata: { name: `vs-debezium-${variant}`, tenant: 'bench' },
    spec: {
      source: backlog.tidemarkSource(variant),
      sinks: [{ type: 'kafka', config: { id: 'kafka', brokers: address(topology.get('kafka').info(), 'direct'), topic, envelope: { type: 'debezium' }, exactly_once: exactlyOnce, client_conf: o.clientConf, ...sink, ...o.sinkConf } }],
      batch: { ...TIDEMARK_BATCH, ...o.batch },
    },
  };
  return measure({
    ...common,
    name: label,
    topic,
    checkRows: true,
    launch: async (dir) => {
      const run = await startTidemark({ dir, document, sinkId: 'kafka', ...(backlog.resumeFrom ? { resumeFrom: backlog.resumeFrom } : {}), ...(o.cpuProfileDir ? { cpuProfileDir: o.cpuProfileDir } : {}), nodeArgs: o.nodeArgs });
      return { pid: () => run.engine.pid, deathNotice: () => run.deathNotice(), stop: () => run.stop() };
    },
  });
}

/** Java producer settings matching the sink's librdkafka defaults (linger, batch bytes, compression). */
function ceilingProps(clientConf: Readonly<Record<string, string>>): Record<string, string> {
  const props: Record<string, string> = { 'linger.ms': '100', 'batch.size': '1000000', 'compression.type': 'none' };
  for (const name of ['linger.ms', 'batch.size', 'compression.type'] as const) if (clientConf[name] !== undefined) props[name] = clientConf[name];
  return props;
}
