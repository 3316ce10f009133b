import { checkerDef } from '../checkers/index.js';
import { NemesisScheduler, type ScheduledFault } from '../nemesis/index.js';
import { startWorkload } from '../workload/index.js';
import { awaitHalt, catchUp } from './catch-up.js';
import { DdlDriver } from './ddl.js';
import { EngineMonitor } from './engine-monitor.js';
import { expectedLog, hasProcessors } from './expected-log.js';
import { dlqFeeds } from './dlq-feed.js';
import { LiveJudge } from './live-judge.js';
import { PeriodicChecks } from './periodic-checks.js';
import { nemesisContext, type Driven, type LoadHandle, type RunState } from './run-state.js';
import { Sampler } from './sampler.js';
import { soakSchedule } from './soak-schedule.js';
import { startTpcc } from './tpcc-load.js';
import { abortable } from './wait.js';

/**
 * A run under load: the workload (rows or TPC-C), the fault schedule (the scenario's, or for a
 * soak one drawn at random intervals) and the sampler start together; a soak also checks every
 * `check_every` seconds and watches the engine's memory. Then heal and catch up.
 */
export async function driveLoad(s: RunState): Promise<Driven> {
  const { run, prepared, signal, progress } = s;
  const scenario = run.scenario;
  s.clock.start('workload');
  const load = scenario.tpcc ? await startTpcc(s) : await startRows(s);
  s.load = load;
  const workloadStartedAt = Date.now();
  const schedule: ScheduledFault[] = scenario.soak?.faults ? soakSchedule(scenario, run.seed) : scenario.nemesis;
  s.nemesis = new NemesisScheduler(nemesisContext(s), schedule);
  const activeFaults = () => s.nemesis?.activeFaults() ?? [];
  s.sampler = new Sampler({ sinks: prepared!.sinks, baseline: s.baseline, log: () => load.log(), engine: s.engine, pipeline: s.ns.pipeline, startedAt: s.startedAt, onSample: (x) => progress.sample(x, activeFaults()) });
  const defs = scenario.checkers.map((n) => checkerDef(n, { expect: scenario.expect }));
  // With processors the expectation exists only once the workload is over: the judge starts then.
  const processors = hasProcessors(prepared!.pipeline.document);
  if (processors && scenario.soak) throw new Error(`scenario ${scenario.name}: a soak cannot run a pipeline with processors (its periodic checks judge while the workload runs, and the processors' expectation exists only at its end)`);
  if (!processors) s.judge = new LiveJudge(load.log(), defs, prepared!.sinks, prepared!.tables, dlqFeeds(s, load.log()));
  if (scenario.soak) {
    s.monitor = new EngineMonitor(s.engine);
    s.monitor.start();
  }
  const periodic = scenario.soak ? new PeriodicChecks(s, scenario.soak.check_every) : null;
  s.nemesis.start();
  s.sampler.start();
  periodic?.start();
  const recorded = await abortable(load.finished(), signal);
  await periodic?.stop();
  // With processors in the pipeline, the sinks must hold what they make of the source history.
  const history = processors ? await expectedLog(recorded, prepared!.pipeline.document) : recorded;
  s.judge ??= new LiveJudge(history, defs, prepared!.sinks, prepared!.tables, dlqFeeds(s, history));
  s.judge.historyComplete = true;
  const workloadEndedAt = Date.now();

  s.clock.start('heal');
  await abortable(s.nemesis.healAll(), signal);
  const lastHeal = Math.max(0, ...s.nemesis.events.map((e) => e.until ?? 0));
  const catchUpFrom = Math.max(workloadEndedAt, lastHeal);
  const deadlineAt = catchUpFrom + scenario.deadline * 1000;

  s.clock.start('catch-up');
  let caughtUpAt: Record<string, number | null>;
  if (scenario.expect.outcome === 'halted') {
    await awaitHalt(s.engine, s.ns.pipeline, deadlineAt, signal);
    caughtUpAt = Object.fromEntries(prepared!.sinks.map((x) => [x.name, null]));
  } else {
    caughtUpAt = await catchUp({ judge: s.judge, sinks: prepared!.sinks, deadlineAt, signal, log: (m) => progress.log(m) });
  }
  await s.sampler.tick();
  s.sampler.stop();
  s.monitor?.stop();
  return { history, workloadStartedAt, workloadEndedAt, catchUpFrom, caughtUpAt, faults: s.nemesis.events };
}

/** The row workload (docs/workload.md), with DDL through it. */
async function startRows(s: RunState): Promise<LoadHandle> {
  const wl = s.run.scenario.workload;
  const workload = await startWorkload({
    source: s.run.source, connection: s.prepared!.writeConnection, database: s.ns.database, prepare: false, images: s.images,
    writers: wl.writers, rate: wl.rate, durationS: wl.duration, seed: s.run.seed, mix: wl.mix, rowsPerTx: [wl.rows_per_tx.min, wl.rows_per_tx.max],
    ...(wl.tables ? { tables: wl.tables } : {}),
    ...(wl.large_tx ? { largeTx: { probability: wl.large_tx.probability, rows: [wl.large_tx.rows.min, wl.large_tx.rows.max] as [number, number] } } : {}),
    ...(wl.keys_per_table ? { keysPerTable: wl.keys_per_table } : {}),
    // Short: a writer whose old session lingers (a failover, a killed server) gives up on its keys sooner.
    recoveryTimeoutMs: 10_000, stopTimeoutMs: 10_000,
  });
  const ddl = new DdlDriver(workload);
  return { log: () => workload.log(), tables: () => workload.tables(), finished: () => workload.finished(), stop: () => workload.stop(), ddl: (change, params) => ddl.apply(change, params) };
}
