import { parseArgs } from 'node:util';
import { benchCheckers } from './checkers.js';
import { benchControlPlane } from './control-plane.js';
import { benchCoordinator } from './coordinator.js';
import { benchKafkaEncode } from './kafka-encode.js';
import { benchProcessors } from './processors.js';
import { printResults, type BenchResult } from './report.js';
import { benchSinkKafka } from './sink-kafka.js';
import { benchSinkNats } from './sink-nats.js';
import { benchSinkRedis } from './sink-redis.js';
import { benchSourceMysql } from './source-mysql.js';
import { benchSourcePostgres } from './source-postgres.js';
import { benchVsDebezium, type VsDebeziumArgs } from './vs-debezium.js';

type Bench = (args: { events?: number } & VsDebeziumArgs, signal: AbortSignal) => Promise<BenchResult[]>;

/** One line per benchmark; `npm run bench -- <name> [--events N]`. */
const BENCHES: Record<string, { run: Bench; about: string }> = {
  checkers: { run: benchCheckers, about: 'every chaos checker streaming over 1M and 10M sink records (a replayed suffix), each size in its own process' },
  'control-plane': { run: benchControlPlane, about: 'pipeline manager with Prometheus + activity hooks vs metrics off (memory source -> null sink)' },
  coordinator: { run: benchCoordinator, about: 'in-memory source -> coordinator -> null sink, batches of 2,000' },
  'kafka-encode': { run: benchKafkaEncode, about: 'the Kafka sink\'s CPU per event without a broker: records built (envelope, JSON, key, headers) for librdkafka, each envelope x header layout' },
  processors: { run: benchProcessors, about: 'in-memory source -> coordinator -> null sink with no processor, a no-op and a redaction javascript script, and a filter' },
  'sink-redis': { run: benchSinkRedis, about: '1M events of ~500 bytes -> coordinator -> Redis Streams sink (native server), at-least-once and exactly-once' },
  'sink-nats': { run: benchSinkNats, about: '1M events of ~500 bytes -> coordinator -> NATS JetStream sink (native server), every publish acked, Nats-Msg-Id dedup' },
  'source-mysql': { run: benchSourceMysql, about: '1M-row binlog backlog (multi-row, then single-row transactions) -> MySQL source (native MariaDB) -> coordinator -> null sink, batches of 2,000' },
  'source-postgres': { run: benchSourcePostgres, about: '1M-row backlog (slot created before the load) -> Postgres source -> coordinator -> null sink, batches of 2,000' },
  'sink-kafka': { run: benchSinkKafka, about: '1M events of ~500 bytes -> coordinator -> Kafka sink (native broker), both clients, at-least-once and exactly-once' },
  'vs-debezium': {
    run: (args, signal) => benchVsDebezium(args, signal),
    about: 'the same 1M-row backlog (MariaDB and Postgres) through Debezium on Kafka Connect and through Tidemark (ALO + EOS), with Kafka\'s producer-perf-test as the ceiling; [--rows N] [--source mysql|postgres|both] [--partitions P] [--systems debezium,alo,eos,ceiling; also alo-compact,eos-compact,alo-none,eos-none] [--client-conf JSON] [--sink-conf JSON] [--node-args=FLAGS] [--batch JSON] [--cpu-prof DIR]',
  },
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { events: { type: 'string' }, rows: { type: 'string' }, source: { type: 'string' }, partitions: { type: 'string' }, systems: { type: 'string' }, 'client-conf': { type: 'string' }, 'cpu-prof': { type: 'string' }, 'sink-conf': { type: 'string' }, 'node-args': { type: 'string' }, batch: { type: 'string' } },
  });
  const names = positionals.length > 0 ? positionals : [];
  if (names.length === 0 || names.some((n) => !BENCHES[n])) {
    const unknown = names.filter((n) => !BENCHES[n]);
    if (unknown.length) console.error(`unknown benchmark: ${unknown.join(', ')}`);
    console.error('usage: npm run bench -- <name...> [--events N]   (vs-debezium: [--rows N] [--source mysql|postgres|both])\n');
    for (const [name, b] of Object.entries(BENCHES)) console.error(`  ${name.padEnd(18)} ${b.about}`);
    return 1;
  }
  const events = values.events ? Number(values.events) : undefined;
  // Ctrl-C: the running benchmark stops its processes and servers, then we exit 130; twice: at once
  // (every server runs under pdeathsig, so they die with us).
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(130);
    console.error(`\n${sig}: stopping the benchmark and tearing everything down (Ctrl-C again to quit at once)`);
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const name of names) {
      console.log(`# ${name}: ${BENCHES[name]!.about}`);
      printResults(await BENCHES[name]!.run({ ...values, events }, abort.signal));
    }
  } catch (e) {
    if (abort.signal.aborted) return 130;
    throw e;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
