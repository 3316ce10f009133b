import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { mysqlOptions, pgOptions, redisOptions, kafkaBrokers, natsServers, registryUrl, type ServiceName } from '../infra/index.js';
import type { ConnectionOptions } from '../workload/sql/session.js';
import { prepareSchema } from '../workload/index.js';
import { workloadTables } from '../workload/workload.js';
import { TPCC_TABLES } from '../workload/tpcc/index.js';
import { encodesAvro } from '../scenarios/pipeline-encoding.js';
import { renderPipeline, type RenderEndpoints, type RenderedPipeline } from './pipeline-render.js';
import type { RunNamespace } from './namespace.js';
import type { ChaosSession } from './session.js';
import { sinkLayout, type SinkLayout } from './sink-layout.js';
import type { SinkIo } from '../readers/index.js';
import { createSinkIos } from './sink-ios.js';
import type { PlannedRun } from './types.js';
import { WARMUP_TABLE } from './warm-up.js';

export interface PreparedRun {
  readonly layout: SinkLayout;
  readonly pipeline: RenderedPipeline;
  readonly sinks: SinkIo[];
  /** Where the workload writes: the primary's direct endpoint, or the workload proxy for a failover. */
  readonly writeConnection: ConnectionOptions;
  /** Admin connection on the primary's direct endpoint (warm-up, schema). */
  readonly adminConnection: ConnectionOptions;
  readonly workloadProxy?: string;
  /** The workload tables the sinks receive, when the scenario narrows them. */
  readonly tables?: readonly string[];
  /** What the pipeline was rendered with (the playground's config lab renders edits the same way). */
  readonly endpoints: RenderEndpoints;
  /** Avro pipelines: the registry's direct URL, which the readers decode through. */
  readonly registryUrl?: string;
}

/**
 * Everything before the engine starts: the workload's database with its tables (a Postgres
 * publication needs them to exist), the sinks' topics and stream, the rendered pipeline.
 */
export async function prepareRun(session: ChaosSession, run: PlannedRun, ns: RunNamespace): Promise<PreparedRun> {
  const { topology } = session;
  const family = run.source;
  const primary: ServiceName = session.primary[family];
  const info = topology.get(primary).info();
  const adminConnection = family === 'mysql' ? mysqlOptions(info, 'direct') : pgOptions(info, 'direct');
  const wl = run.scenario.workload;
  const defs = run.scenario.tpcc ? [...TPCC_TABLES] : workloadTables(family, wl.tables, wl.large_tx !== undefined);
  const tables = wl.tables || wl.large_tx || run.scenario.tpcc ? defs.map((t) => t.name) : undefined;
  await prepareSchema({ source: family, connection: adminConnection, database: ns.database }, [...defs, WARMUP_TABLE]);

  const failover = run.scenario.nemesis.some((n) => n.fault === 'failover');
  const wp = failover ? await session.workloadProxy(family) : undefined;
  const writeConnection = wp ? { ...adminConnection, ...wp.endpoint } : adminConnection;

  const layout = sinkLayout(run.scenario, ns, [...defs.map((t) => t.name), WARMUP_TABLE.name], defs.filter((t) => t.noPrimaryKey).map((t) => t.name));
  const templateText = readFileSync(run.pipelinePath, 'utf8');
  const avro = encodesAvro(parse(templateText));
  if (avro && !topology.has('schema-registry')) throw new Error(`${run.pipelinePath} encodes Avro, so the run needs the schema-registry service, which this session did not start (the CLI adds it by itself; a test must list it)`);
  const registry = avro ? topology.get('schema-registry').info() : null;
  const cdc = family === 'mysql' ? mysqlOptions(topology.get(family).info(), 'proxy', 'cdc') : pgOptions(topology.get(family).info(), 'proxy', 'cdc');
  const scheme = family === 'mysql' ? 'mysql' : 'postgres';
  const endpoints: RenderEndpoints = {
    // The engine always goes through the proxy named after the family, whichever server is primary.
    sourceDsn: `${scheme}://${encodeURIComponent(cdc.user)}:${encodeURIComponent(cdc.password)}@${cdc.host}:${cdc.port}/${cdc.database}`,
    ...(layout.kafka ? { kafkaBrokers: kafkaBrokers(topology.get('kafka').info()).join(',') } : {}),
    ...(layout.redis ? { redisUri: `redis://${hostPort(redisOptions(topology.get('redis').info()))}` } : {}),
    ...(layout.nats ? { natsUrl: `nats://${natsServers(topology.get('nats').info())}` } : {}),
    ...(layout.http && session.httpBase ? { httpBase: session.httpBase } : {}),
    ...(registry ? { registryUrl: registryUrl(registry) } : {}),
  };
  const pipeline = renderPipeline({
    templateText,
    file: run.pipelinePath,
    scenario: run.scenario.name,
    source: family,
    ns,
    layout,
    ...(tables ? { tables, extraTables: [WARMUP_TABLE.name] } : {}),
    ...(run.scenario.overrides ? { overrides: run.scenario.overrides } : {}),
    endpoints,
  });
  // A size limit on the HTTP receiver for this run (413 for larger bodies; teardown lifts it).
  session.receiver?.limit(run.scenario.sinks.http?.max_body_bytes);
  const readerRegistry = registry ? registryUrl(registry, 'direct') : undefined;
  const sinks = createSinkIos(session, layout, pipeline.sinkIds, readerRegistry);
  for (const s of sinks) await s.prepare();
  return { layout, pipeline, sinks, writeConnection, adminConnection, endpoints, ...(wp ? { workloadProxy: wp.name } : {}), ...(tables ? { tables } : {}), ...(readerRegistry ? { registryUrl: readerRegistry } : {}) };
}

const hostPort = (e: { host: string; port: number }) => `${e.host}:${e.port}`;
