import { join } from 'node:path';
import { createCheckers } from '../checkers/index.js';
import { processedHistory } from '../checkers/processed-history.js';
import { EngineProcess } from '../engine/engine-process.js';
import type { SinkHistory, SourceHistory, Verdict } from '../history/index.js';
import { allocatePort } from '../infra/ports.js';
import { NemesisScheduler, type NemesisContext } from '../nemesis/index.js';
import type { ScenarioRun } from '../report/index.js';
import { scenarioToYaml } from '../scenarios/index.js';
import { startWorkload, type WorkloadHandle } from '../workload/index.js';
import { adminSql } from './admin-sql.js';
import { awaitHalt, catchUp } from './catch-up.js';
import { DdlDriver } from './ddl.js';
import { engineFacts, runFacts } from './facts.js';
import { runNamespace } from './namespace.js';
import { PhaseClock } from './phase-clock.js';
import { silentProgress, type RunProgress } from './progress.js';
import { prepareRun, type PreparedRun } from './run-setup.js';
import { Sampler } from './sampler.js';
import type { ChaosSession } from './session.js';
import { teardownRun } from './teardown.js';
import type { PlannedRun } from './types.js';
import { abortable } from './wait.js';
import { warmUp, withoutWarmup } from './warm-up.js';

export interface RunScenarioOptions {
  readonly session: ChaosSession;
  readonly run: PlannedRun;
  /** A deliberate engine bug to inject (chaos/src/mutations), for proving the checkers. */
  readonly mutation?: string | null;
  readonly progress?: RunProgress;
  readonly signal?: AbortSignal;
  /** Called with the run's engine process before it starts (the playground scrapes its metrics). */
  readonly onEngine?: (engine: EngineProcess) => void;
  /** Warm-up limit (default 60 s). */
  readonly warmUpTimeoutMs?: number;
}

/**
 * One scenario for one source family, start to finish: setup → engine → pipeline → warm-up →
 * workload + nemesis + sampler → heal → catch-up → final read → checkers → teardown. Never
 * throws for what happens in the run: a harness failure becomes `ScenarioRun.error`.
 */
export async function runScenario(o: RunScenarioOptions): Promise<ScenarioRun> {
  const { session, run } = o;
  const progress = o.progress ?? silentProgress;
  const signal = o.signal ?? new AbortController().signal;
  const startedAt = Date.now();
  const clock = new PhaseClock((name) => progress.phase(name));
  const ns = runNamespace(run.scenario.name, run.source, session.nextOrdinal(), session.nonce);
  const dir = session.runDir(ns.runId);
  const engine = new EngineProcess({ dataDir: join(dir, 'data'), logFile: join(dir, 'engine.log'), apiPort: await allocatePort(), metricsPort: await allocatePort(), mutation: o.mutation ?? null });
  o.onEngine?.(engine);
  let prepared: PreparedRun | null = null;
  let workload: WorkloadHandle | null = null;
  let nemesis: NemesisScheduler | null = null;
  let sampler: Sampler | null = null;
  let verdicts: Verdict[] = [];
  let error: string | undefined;
  try {
    clock.start('setup');
    await session.resetNetwork();
    prepared = await prepareRun(session, run, ns);
    const { sinks } = prepared;

    clock.start('engine');
    await engine.start();
    await engine.api.createPipeline(prepared.pipeline.document);

    clock.start('warm-up');
    const explain = async () => `pipeline: ${JSON.stringify(await engine.api.getPipeline(ns.pipeline).catch((e: Error) => e.message))}\nengine log (${engine.logFile}):\n${engine.tail(20)}`;
    const baseline = await warmUp({ source: run.source, connection: prepared.adminConnection, database: ns.database, sinks, timeoutMs: o.warmUpTimeoutMs ?? 60_000, signal, explain });

    clock.start('workload');
    const wl = run.scenario.workload;
    workload = await startWorkload({
      source: run.source, connection: prepared.writeConnection, database: ns.database, prepare: false,
      writers: wl.writers, rate: wl.rate, durationS: wl.duration, seed: run.seed, mix: wl.mix, rowsPerTx: [wl.rows_per_tx.min, wl.rows_per_tx.max],
      // Short: a writer whose old session lingers (a failover, a killed server) gives up on its keys sooner.
      recoveryTimeoutMs: 10_000, stopTimeoutMs: 10_000,
    });
    const workloadStartedAt = Date.now();
    const ddl = new DdlDriver(workload);
    nemesis = new NemesisScheduler(nemesisContext(o, prepared, engine, ns.database, ns.slot, ddl, progress), run.scenario.nemesis);
    const activeFaults = () => nemesis?.activeFaults() ?? [];
    const wlRef = workload;
    sampler = new Sampler({ sinks, baseline, workload: () => wlRef, engine, pipeline: ns.pipeline, startedAt, onSample: (s) => progress.sample(s, activeFaults()) });
    nemesis.start();
    sampler.start();
    // With processors in the pipeline, the sinks must hold what they make of the source history.
    const history: SourceHistory = await processedHistory(await abortable(workload.done(), signal), prepared.pipeline.document);
    const workloadEndedAt = Date.now();

    clock.start('heal');
    await abortable(nemesis.healAll(), signal);
    const lastHeal = Math.max(0, ...nemesis.events.map((e) => e.until ?? 0));
    const catchUpFrom = Math.max(workloadEndedAt, lastHeal);
    const deadlineAt = catchUpFrom + run.scenario.deadline * 1000;

    clock.start('catch-up');
    let caughtUpAt: Record<string, number | null>;
    if (run.scenario.expect.outcome === 'halted') {
      await awaitHalt(engine, ns.pipeline, deadlineAt, signal);
      caughtUpAt = Object.fromEntries(sinks.map((s) => [s.name, null]));
    } else {
      caughtUpAt = await catchUp({ sinks, baseline, history, deadlineAt, signal, log: (m) => progress.log(m), ...(prepared.tables ? { tables: prepared.tables } : {}) });
    }
    await sampler.tick();
    sampler.stop();

    clock.start('read');
    const engineState = await engineFacts(engine);
    const checkedAt = Date.now();
    const histories: SinkHistory[] = (await abortable(Promise.all(sinks.map((s) => s.readAll())), signal)).flat().map(withoutWarmup);

    clock.start('check');
    const lag = sampler.latest?.lagMs ?? {};
    const facts = runFacts({ history, workloadStartedAt, workloadEndedAt, catchUpFrom, deadlineMs: run.scenario.deadline * 1000, checkedAt, engine: engineState, caughtUpAt, lagMs: lag, ...(prepared.tables ? { tables: prepared.tables } : {}) });
    verdicts = createCheckers(run.scenario.checkers, { expect: run.scenario.expect }).check({ source: history, sinks: histories, faults: nemesis.events, facts });
    if (nemesis.errors.length > 0) error = `the nemesis could not play the schedule as written:\n${nemesis.errors.join('\n')}`;
  } catch (e) {
    error = signal.aborted ? 'interrupted (Ctrl-C)' : e instanceof Error ? (e.stack ?? e.message) : String(e);
    if (!signal.aborted) error += `\nengine log (${engine.logFile}), last lines:\n${engine.tail(15)}`;
  } finally {
    clock.start('teardown');
    await teardownRun({ session, engine, workload, nemesis, sampler, sinks: prepared?.sinks ?? [], slot: run.source === 'postgres' ? ns.slot : null });
    clock.stop();
  }
  return {
    scenario: run.scenario.name + (run.label ? ` ${run.label}` : ''),
    description: run.scenario.description,
    source: run.source,
    seed: run.seed,
    startedAt,
    durationMs: Date.now() - startedAt,
    phases: clock.phases(),
    sinks: prepared?.sinks.map((s) => s.name) ?? [],
    verdicts,
    faults: nemesis?.events ?? [],
    timeline: sampler?.samples ?? [],
    ...(error !== undefined ? { error } : {}),
    scenarioYaml: scenarioToYaml(run.scenario),
  };
}

function nemesisContext(o: RunScenarioOptions, prepared: PreparedRun, engine: EngineProcess, database: string, slot: string, ddl: DdlDriver, progress: RunProgress): NemesisContext {
  const { session, run } = o;
  return {
    topology: session.topology,
    engine,
    source: run.source,
    primary: () => session.primary[run.source],
    onPromoted: (replica) => session.promoted(run.source, replica),
    sql: (service, statement, params) => adminSql(session.topology, service, statement, params),
    ...(prepared.workloadProxy ? { workloadProxy: prepared.workloadProxy } : {}),
    database,
    ...(run.source === 'postgres' ? { slot } : {}),
    ddl: (change, params) => ddl.apply(change, params),
    log: (m) => progress.log(m),
  };
}
