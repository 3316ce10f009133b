import { join } from 'node:path';
import { EngineProcess } from '../engine/engine-process.js';
import { FileImageStore, type Verdict } from '../history/index.js';
import { allocatePort } from '../infra/ports.js';
import type { ScenarioRun } from '../report/index.js';
import { scenarioToYaml } from '../scenarios/index.js';
import { driveBacklog } from './drive-backlog.js';
import { dlqFacts } from './dlq-feed.js';
import { driveLoad } from './drive-load.js';
import { engineFacts, runFacts } from './facts.js';
import { readFinalSource } from './final-source.js';
import { memoryFacts } from './memory-facts.js';
import { runNamespace } from './namespace.js';
import { PhaseClock } from './phase-clock.js';
import { preconditionVerdicts } from './preconditions.js';
import { silentProgress, type RunProgress } from './progress.js';
import { prepareRun } from './run-setup.js';
import type { RunState } from './run-state.js';
import type { ChaosSession } from './session.js';
import { teardownRun } from './teardown.js';
import type { PlannedRun } from './types.js';
import { abortable } from './wait.js';
import { warmUp } from './warm-up.js';

/** One live-heap point per 5 s: a judged minute gives a dozen, and a full collection of the engine's heap costs well under 1% of its time at that pace. */
const LEAK_GC_EVERY_MS = 5_000;

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
 * the driver (under load: workload + nemesis + sampler, heal, catch-up; backlog: stop, write,
 * restart, drain) → final read → checkers → teardown. Never throws for what happens in the
 * run: a harness failure becomes `ScenarioRun.error`.
 */
export async function runScenario(o: RunScenarioOptions): Promise<ScenarioRun> {
  const { session, run } = o;
  const progress = o.progress ?? silentProgress;
  const signal = o.signal ?? new AbortController().signal;
  const startedAt = Date.now();
  const ns = runNamespace(run.scenario.name, run.source, session.nextOrdinal(), session.nonce);
  const dir = session.runDir(ns.runId);
  // A run that judges the live heap paces full collections, so each engine process has points to fit.
  const gcEveryMs = run.scenario.checkers.includes('leak') ? LEAK_GC_EVERY_MS : undefined;
  const engine = new EngineProcess({ dataDir: join(dir, 'data'), logFile: join(dir, 'engine.log'), apiPort: await allocatePort(), metricsPort: await allocatePort(), mutation: o.mutation ?? null, ...(gcEveryMs ? { gcEveryMs } : {}) });
  o.onEngine?.(engine);
  const s: RunState = {
    session, run, ns, dir, engine, progress, signal, startedAt,
    clock: new PhaseClock((name) => progress.phase(name)),
    images: new FileImageStore(join(dir, 'images.jsonl')),
    prepared: null, baseline: {}, load: null, nemesis: null, sampler: null, monitor: null, judge: null,
    measurements: {}, interim: [],
  };
  let verdicts: Verdict[] = [];
  let error: string | undefined;
  try {
    s.clock.start('setup');
    await session.resetNetwork();
    s.prepared = await prepareRun(session, run, ns);
    const { sinks } = s.prepared;

    s.clock.start('engine');
    await engine.start();
    await engine.api.createPipeline(s.prepared.pipeline.document);

    s.clock.start('warm-up');
    const explain = async () => `pipeline: ${JSON.stringify(await engine.api.getPipeline(ns.pipeline).catch((e: Error) => e.message))}\nengine log (${engine.logFile}):\n${engine.tail(20)}`;
    s.baseline = await warmUp({ source: run.source, connection: s.prepared.adminConnection, database: ns.database, sinks, timeoutMs: o.warmUpTimeoutMs ?? 60_000, signal, explain });

    const driven = run.scenario.backlog ? await driveBacklog(s) : await driveLoad(s);
    const judge = s.judge!;

    s.clock.start('read');
    const engineState = await engineFacts(engine);
    const checkedAt = Date.now();
    // The rest of what every sink holds (the tails read incrementally; this is the final read).
    await abortable(judge.poll(true), signal);
    if (run.scenario.checkers.includes('dlq')) s.measurements.dlq_entries = await engine.api.dlqCount(ns.pipeline).catch(() => 0);
    for (const io of sinks) if (io.kind === 'http') s.measurements.http_refused = io.feeds(driven.history.primaryKeys).reduce((n, f) => n + ((f.tail as { refused?: number }).refused ?? 0), 0);
    const finalSource = run.scenario.checkers.includes('state') ? await readFinalSource({ source: run.source, connection: s.prepared.adminConnection, database: ns.database }, s.load!.tables(), driven.history) : undefined;

    const dlq = await dlqFacts(s);
    if (dlq) Object.assign(s.measurements, { dlq_entries: (s.measurements.dlq_entries ?? 0) + dlq.acked, dlq_evicted: dlq.evicted, dlq_rejected: dlq.rejected, dlq_acked: dlq.acked });

    s.clock.start('check');
    const lag = s.sampler?.latest?.lagMs ?? {};
    const facts = runFacts({
      history: driven.history, workloadStartedAt: driven.workloadStartedAt, workloadEndedAt: driven.workloadEndedAt, catchUpFrom: driven.catchUpFrom, deadlineMs: run.scenario.deadline * 1000, checkedAt, engine: engineState,
      caughtUpAt: driven.caughtUpAt, lagMs: lag, ...(s.prepared.tables ? { tables: s.prepared.tables } : {}), ...(s.monitor ? { engineMemory: memoryFacts(s.monitor, run.scenario) } : {}), ...(dlq ? { dlq } : {}),
    });
    verdicts = judge.verdicts(facts, driven.faults, finalSource);
    verdicts.push(...preconditionVerdicts(s, driven, verdicts));
    // Per sink as a consumer sees it (Kafka read_committed; read_uncommitted times the same records).
    for (const [label, l] of Object.entries(judge.latency())) {
      if (label.includes('read_uncommitted')) continue;
      const sink = label.replace(' (read_committed)', '');
      s.measurements[`latency_p50_ms.${sink}`] = l.p50;
      s.measurements[`latency_p99_ms.${sink}`] = l.p99;
    }
    if (s.nemesis && s.nemesis.errors.length > 0) error = `the nemesis could not play the schedule as written:\n${s.nemesis.errors.join('\n')}`;
  } catch (e) {
    error = signal.aborted ? 'interrupted (Ctrl-C)' : e instanceof Error ? (e.stack ?? e.message) : String(e);
    if (!signal.aborted) error += `\nengine log (${engine.logFile}), last lines:\n${engine.tail(15)}`;
  } finally {
    s.clock.start('teardown');
    await teardownRun({ session, engine, workload: s.load, nemesis: s.nemesis, sampler: s.sampler, sinks: s.prepared?.sinks ?? [], slot: run.source === 'postgres' ? ns.slot : null });
    s.monitor?.stop();
    s.images.close();
    s.clock.stop();
  }
  return {
    scenario: run.scenario.name + (run.label ? ` ${run.label}` : ''),
    description: run.scenario.description,
    source: run.source,
    seed: run.seed,
    startedAt,
    durationMs: Date.now() - startedAt,
    phases: s.clock.phases(),
    sinks: s.prepared?.sinks.map((x) => x.name) ?? [],
    verdicts,
    faults: s.nemesis?.events ?? [],
    timeline: s.sampler?.samples ?? [],
    ...(error !== undefined ? { error } : {}),
    scenarioYaml: scenarioToYaml(run.scenario),
    ...(s.judge ? { checks: s.judge.cost() } : {}),
    ...(Object.keys(s.measurements).length > 0 ? { measurements: { ...s.measurements } } : {}),
    ...(s.interim.length > 0 ? { interim: s.interim } : {}),
    ...(s.monitor ? { engineMemory: s.monitor.samples.map((m) => ({ t: m.t - startedAt, rssMb: Math.round(m.rssMb), heapMb: m.heapMb === null ? null : Math.round(m.heapMb), liveMb: m.liveMb === null ? null : Math.round(m.liveMb), pid: m.pid })) } : {}),
  };
}
