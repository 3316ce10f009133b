import type { EngineProcess } from '../../engine/engine-process.js';
import type { FaultEvent } from '../../history/index.js';
import { NemesisScheduler, type NemesisContext } from '../../nemesis/index.js';
import { adminSql } from '../../runner/admin-sql.js';
import { DdlDriver } from '../../runner/ddl.js';
import { runNamespace, type RunNamespace } from '../../runner/namespace.js';
import { prepareRun, type PreparedRun } from '../../runner/run-setup.js';
import { Sampler } from '../../runner/sampler.js';
import type { ChaosSession } from '../../runner/session.js';
import { warmUp } from '../../runner/warm-up.js';
import type { LoadedScenario } from '../../scenarios/index.js';
import { startWorkload, type WorkloadHandle } from '../../workload/index.js';
import type { LiveSettings } from '../../workload/workload.js';
import { EngineMetricsProbe } from '../engine-metrics.js';
import type { FaultOrigin, FaultView, LiveSample, LiveView, SourceFamily, WorkloadView } from '../protocol.js';

export interface LiveOptions {
  readonly session: ChaosSession;
  /** scenarios/playground.yaml: the pipeline template, sinks, default workload, check deadline. */
  readonly loaded: LoadedScenario;
  readonly source: SourceFamily;
  readonly engine: EngineProcess;
  readonly seed: number;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

/**
 * The pipeline the playground explores: a run namespace set up by the runner's own prepareRun
 * (schema, topics, stream, rendered pipeline), created on the playground's engine, warmed up,
 * then a free-running workload, a nemesis with no schedule (faults come from clicks) and a
 * sampler. One at a time; switching source closes it and opens another.
 */
export class LiveSession {
  private workload: WorkloadHandle | null = null;
  private readonly origins = new WeakMap<FaultEvent, FaultOrigin>();
  readonly nemesis: NemesisScheduler;
  private readonly sampler: Sampler;
  private readonly probe: EngineMetricsProbe;
  private settings: LiveSettings;

  private constructor(
    private readonly options: LiveOptions,
    readonly ns: RunNamespace,
    readonly prepared: PreparedRun,
    readonly baseline: Readonly<Record<string, number>>,
    private readonly writeConnection: PreparedRun['writeConnection'],
    private readonly workloadProxy: string,
  ) {
    const wl = options.loaded.scenario.workload;
    this.settings = { writers: wl.writers, rate: wl.rate, mix: wl.mix };
    this.nemesis = new NemesisScheduler(this.context(), []);
    this.sampler = new Sampler({ sinks: prepared.sinks, baseline, log: () => this.workload?.log() ?? null, engine: this.options.engine, pipeline: ns.pipeline, startedAt: 0 });
    this.probe = new EngineMetricsProbe(() => this.options.engine.metricsUrl, ns.pipeline);
  }

  static async open(o: LiveOptions): Promise<LiveSession> {
    const { session, loaded, source, engine } = o;
    const ns = runNamespace('live', source, session.nextOrdinal(), session.nonce);
    o.log(`live: preparing ${ns.database} and the sinks' topics and streams`);
    const prepared = await prepareRun(session, { scenario: loaded.scenario, pipelinePath: loaded.pipelinePath, source, seed: o.seed }, ns);
    // Writes go through a proxy no fault touches, so a failover can move them to the promoted replica.
    const wp = await session.workloadProxy(source);
    const writeConnection = { ...prepared.adminConnection, ...wp.endpoint };
    await engine.start();
    await engine.api.createPipeline(prepared.pipeline.document);
    o.log(`live: pipeline ${ns.pipeline} created; waiting for a first write to reach every sink`);
    const explain = async () => `pipeline: ${JSON.stringify(await engine.api.getPipeline(ns.pipeline).catch((e: Error) => e.message))}\n${engine.tail(15)}`;
    const baseline = await warmUp({ source, connection: prepared.adminConnection, database: ns.database, sinks: prepared.sinks, timeoutMs: 60_000, signal: o.signal, explain });
    o.log(`live: ${ns.pipeline} streams into ${prepared.sinks.map((s) => s.name).join(', ')}`);
    return new LiveSession(o, ns, prepared, baseline, writeConnection, wp.name);
  }

  get source(): SourceFamily {
    return this.options.source;
  }

  get sinks() {
    return this.prepared.sinks;
  }

  get checkDeadlineS(): number {
    return this.options.loaded.scenario.deadline;
  }

  get loaded(): LoadedScenario {
    return this.options.loaded;
  }

  get currentWorkload(): WorkloadHandle | null {
    return this.workload;
  }

  /** Starts the workload, or changes the running one (writers 0 stops it; its history stays). */
  async setWorkload(change: Partial<LiveSettings>): Promise<void> {
    this.settings = { ...this.settings, ...change };
    if (this.workload) {
      this.settings = this.workload.adjust(this.settings);
      return;
    }
    if (this.settings.writers === 0) return;
    const wl = this.options.loaded.scenario.workload;
    this.workload = await startWorkload({
      source: this.options.source, connection: this.writeConnection, database: this.ns.database, prepare: false,
      writers: this.settings.writers, rate: this.settings.rate, mix: this.settings.mix, seed: this.options.seed, rowsPerTx: [wl.rows_per_tx.min, wl.rows_per_tx.max],
      recoveryTimeoutMs: 10_000, stopTimeoutMs: 10_000,
    });
  }

  async inject(fault: string, target: string, params: Readonly<Record<string, unknown>>, origin: FaultOrigin): Promise<FaultView> {
    try {
      const { id, event } = await this.nemesis.inject(fault, target, params);
      this.origins.set(event, origin);
      return this.faultView(event, id);
    } catch (e) {
      const event = this.nemesis.events.at(-1);
      if (event) this.origins.set(event, origin);
      throw e;
    }
  }

  heal(id: number): Promise<boolean> {
    return this.nemesis.heal(id);
  }

  async healAll(): Promise<void> {
    for (const { id } of this.nemesis.activeEntries()) await this.nemesis.heal(id);
  }

  faults(): { active: FaultView[]; timeline: FaultView[] } {
    const active = this.nemesis.activeEntries();
    const ids = new Map(active.map((a) => [a.event, a.id]));
    return { active: active.map((a) => this.faultView(a.event, a.id)), timeline: this.nemesis.events.map((e) => this.faultView(e, ids.get(e) ?? null)) };
  }

  /** One point of the live charts: counts and lag (the runner's sampler) and the engine's metrics. */
  async sample(): Promise<LiveSample> {
    const [, figures] = await Promise.all([this.sampler.tick(), this.probe.read()]);
    const s = this.sampler.latest;
    if (this.sampler.samples.length > 60) this.sampler.samples.splice(0, this.sampler.samples.length - 60);
    return { t: Date.now(), written: s?.written ?? 0, delivered: s?.delivered ?? {}, lagMs: s?.lagMs ?? {}, engine: s?.engine ?? 'unknown', ...figures };
  }

  view(status: LiveView['status'] = 'ready', detail?: string): LiveView {
    const c = this.workload?.counters();
    const live = this.workload?.live() ?? this.settings;
    const workload: WorkloadView = {
      state: this.workload && live.writers > 0 ? 'running' : 'stopped',
      writers: this.workload ? live.writers : this.settings.writers,
      rate: live.rate,
      mix: { insert: live.mix.insert ?? 0, update: live.mix.update ?? 0, delete: live.mix.delete ?? 0 },
      ok: c?.ok ?? 0, fail: c?.fail ?? 0, info: c?.info ?? 0, rowsWritten: c?.rowsWritten ?? 0, reconnects: c?.reconnects ?? 0, lastError: c?.lastError ?? null,
    };
    return { source: this.options.source, pipeline: this.ns.pipeline, sinks: this.prepared.sinks.map((s) => s.name), status, ...(detail ? { detail } : {}), workload };
  }

  /** Stops writing, heals, removes the pipeline and its slot; the data stays in the sinks. */
  async close(): Promise<void> {
    const steps: Array<() => Promise<unknown>> = [
      () => this.healAll(),
      async () => this.workload?.stop(),
      () => this.options.engine.api.deletePipeline(this.ns.pipeline),
      ...this.prepared.sinks.map((s) => () => s.close()),
      async () => {
        if (this.options.source !== 'postgres') return;
        for (const name of ['postgres', 'postgres-b'] as const) {
          if (!this.options.session.topology.has(name)) continue;
          await adminSql(this.options.session.topology, name, 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [this.ns.slot]);
        }
      },
    ];
    for (const step of steps) await step().catch(() => undefined);
  }

  private faultView(event: FaultEvent, id: number | null): FaultView {
    return { id, kind: event.kind, target: event.target, at: event.at, until: event.until, ...(event.detail ? { detail: event.detail } : {}), origin: this.origins.get(event) ?? 'manual' };
  }

  private context(): NemesisContext {
    const { session, source, engine } = this.options;
    const ddl = new Lazy(() => (this.workload ? new DdlDriver(this.workload) : null));
    return {
      topology: session.topology,
      engine,
      source,
      primary: () => session.primary[source],
      onPromoted: (replica) => session.promoted(source, replica),
      sql: (service, statement, params) => adminSql(session.topology, service, statement, params),
      workloadProxy: this.workloadProxy,
      database: this.ns.database,
      ...(source === 'postgres' ? { slot: this.ns.slot } : {}),
      ddl: async (change, params) => {
        const driver = ddl.get();
        if (!driver) throw new Error('DDL goes through the workload (so its history knows the new columns): start the workload first');
        return driver.apply(change, params);
      },
      log: (m) => this.options.log(m),
    };
  }
}

/** One DdlDriver per workload, made when first needed (it counts the columns it added). */
class Lazy<T> {
  private value: T | undefined;
  constructor(private readonly make: () => T) {}
  get(): T {
    if (this.value === undefined || this.value === null) this.value = this.make();
    return this.value;
  }
}
