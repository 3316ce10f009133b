import { ConfigError, expandTree, validateSpec, type ExpansionProblem } from '@tidemark/engine/config/index';
import { parse } from 'yaml';
import type { SinkKind } from '../history/index.js';
import type { Overrides } from '../scenarios/index.js';
import type { RunNamespace } from './namespace.js';
import type { SinkLayout } from './sink-layout.js';
import type { SourceFamily } from './types.js';

/** What the runner knows about one run's endpoints: all through Toxiproxy, as the engine must go. */
export interface RenderEndpoints {
  /** DSN of the source through its proxy (cdc user for MariaDB). */
  readonly sourceDsn: string;
  readonly kafkaBrokers?: string;
  readonly redisUri?: string;
  readonly natsUrl?: string;
  /** Base URL of the HTTP receiver through its proxy. */
  readonly httpBase?: string;
  /** The schema registry's Confluent-compatible URL through its proxy (Avro pipelines). */
  readonly registryUrl?: string;
}

export interface RenderInput {
  readonly templateText: string;
  /** The template file, for error messages. */
  readonly file: string;
  readonly scenario: string;
  readonly source: SourceFamily;
  readonly ns: RunNamespace;
  readonly layout: SinkLayout;
  readonly endpoints: RenderEndpoints;
  /** Workload tables to capture (the scenario's `workload.tables`); absent: all of them. */
  readonly tables?: readonly string[];
  /** Captured in any case: the warm-up table. */
  readonly extraTables?: readonly string[];
  /** Pipeline settings the scenario or the command line changes (batch, commit policy, sink settings). */
  readonly overrides?: Overrides;
}

export interface RenderedPipeline {
  /** The document to POST: placeholders filled, only the attached sinks. */
  readonly document: Record<string, unknown>;
  /** Sink id in the pipeline per kind (the name each sink history carries). */
  readonly sinkIds: Readonly<Partial<Record<SinkKind, string>>>;
}

/** The `${VAR}`s a template may use; README.md of scenarios/ lists them. */
export function templateVariables(input: RenderInput): Record<string, string> {
  const { ns, layout, endpoints } = input;
  const vars: Record<string, string> = {
    PIPELINE_NAME: ns.pipeline,
    SCENARIO: input.scenario,
    SOURCE_TYPE: input.source,
    SOURCE_ID: ns.sourceId,
    SOURCE_DSN: endpoints.sourceDsn,
  };
  if (layout.kafka && endpoints.kafkaBrokers) Object.assign(vars, { KAFKA_BROKERS: endpoints.kafkaBrokers, KAFKA_TOPIC: layout.kafka.topicTemplate });
  if (layout.redis && endpoints.redisUri) Object.assign(vars, { REDIS_URI: endpoints.redisUri, REDIS_STREAM: layout.redis.streamTemplate });
  if (layout.nats && endpoints.natsUrl) Object.assign(vars, { NATS_URL: endpoints.natsUrl, NATS_STREAM: layout.nats.stream, NATS_SUBJECT: layout.nats.subjectTemplate });
  if (layout.http && endpoints.httpBase) vars.HTTP_URL = `${endpoints.httpBase}${layout.http.pathTemplate}`;
  if (endpoints.registryUrl) vars.SCHEMA_REGISTRY_URL = endpoints.registryUrl;
  return vars;
}

/**
 * Source settings that depend on the family (the template stays family-neutral): what to
 * capture, and short liveness timers so a silent connection (a `timeout` toxic) is noticed
 * within seconds rather than the production default of a minute.
 */
function familyConfig(input: RenderInput): Record<string, unknown> {
  const { ns } = input;
  const tables = input.tables ? [...input.tables, ...(input.extraTables ?? [])].map((t) => `${ns.database}.${t}`) : [`${ns.database}.*`];
  return input.source === 'mysql'
    ? { tables, heartbeat_secs: 1, inactivity_timeout_secs: 5, connect_timeout_secs: 5 }
    : { tables, slot: ns.slot, publication: ns.publication, status_interval_secs: 1 };
}

/**
 * Fills a scenario's pipeline template for one run: keeps the sinks the scenario attaches (one
 * per kind), sets their `exactly_once` as the scenario says, puts the HTTP sink in per-event
 * mode (every record then carries its metadata headers), adds the family's source settings,
 * expands the `${VAR}`s and validates the result like the engine would.
 */
export function renderPipeline(input: RenderInput): RenderedPipeline {
  const doc = parse(input.templateText) as unknown;
  if (!isObject(doc) || !isObject(doc.spec)) throw new ConfigError([{ file: input.file, path: 'spec', reason: 'expected a PipelineSpec document with a spec mapping' }]);
  const spec = doc.spec;
  const wanted = (['kafka', 'redis', 'nats', 'http'] as const).filter((k) => input.layout[k] !== undefined);
  const sinks = Array.isArray(spec.sinks) ? spec.sinks.filter(isObject) : [];
  const sinkIds: Partial<Record<SinkKind, string>> = {};
  const kept: Record<string, unknown>[] = [];
  for (const kind of wanted) {
    const found = sinks.filter((s) => s.type === kind);
    if (found.length !== 1) throw new ConfigError([{ file: input.file, path: 'spec.sinks', reason: `the scenario attaches a ${kind} sink, so the template needs exactly one sink of type ${kind} (found ${found.length})` }]);
    const sink = { ...found[0]!, config: { ...(isObject(found[0]!.config) ? found[0]!.config : {}) } } as { type: string; config: Record<string, unknown> };
    if (kind === 'kafka') sink.config.exactly_once = input.layout.kafka!.exactlyOnce;
    if (kind === 'redis') sink.config.exactly_once = input.layout.redis!.exactlyOnce;
    if (kind === 'http') sink.config.batch_mode = false;
    sinkIds[kind] = String(sink.config.id);
    kept.push(sink);
  }
  spec.sinks = kept;
  if (input.overrides) applyOverrides(spec, input.overrides);
  const source = isObject(spec.source) ? spec.source : (spec.source = {});
  source.config = { ...(isObject(source.config) ? source.config : {}), ...familyConfig(input) };

  const vars = templateVariables(input);
  const { problems } = validateSpec(doc, input.file, vars);
  if (problems.length > 0) throw new ConfigError(problems);
  const expansion: ExpansionProblem[] = [];
  return { document: expandTree(doc, vars, expansion) as Record<string, unknown>, sinkIds };
}

/**
 * Merges the overrides into the spec: batch and journal key by key, the commit policy whole,
 * each sink's settings into the sink of that kind (client_conf key by key).
 */
export function applyOverrides(spec: Record<string, unknown>, o: Overrides): void {
  if (o.batch) spec.batch = { ...(isObject(spec.batch) ? spec.batch : {}), ...o.batch };
  if (o.commit_policy) spec.commit_policy = { ...o.commit_policy };
  if (o.journal) spec.journal = deepMerge(isObject(spec.journal) ? spec.journal : {}, o.journal);
  for (const [kind, settings] of Object.entries(o.sinks ?? {})) {
    const sink = (spec.sinks as Record<string, unknown>[]).find((s) => s.type === kind);
    if (!sink || !settings) continue;
    sink.config = deepMerge(isObject(sink.config) ? sink.config : {}, settings);
  }
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
