import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineProcess } from '../../engine/engine-process.js';
import { faultWindows, lagSeries, throughputSeries } from '../../report/html/series.js';
import { runPassed, writeReports, type RunReport, type ScenarioRun } from '../../report/index.js';
import { parseRunArgs } from '../../runner/cli-args.js';
import { PlanError, planRuns, selectScenarios, skippedFor } from '../../runner/plan.js';
import { runPlan } from '../../runner/run-plan.js';
import type { ChaosSession } from '../../runner/session.js';
import type { PlannedRun } from '../../runner/types.js';
import type { Hub } from '../hub.js';
import type { AbResult, HistoryEntry, RunRequest, RunResult, RunStatus, RunView } from '../protocol.js';
import { DrainWatch } from './drain-watch.js';
import { HistoryStore } from './history-store.js';
import { HubProgress } from './hub-progress.js';

export interface RunManagerOptions {
  readonly hub: Hub;
  readonly session: () => ChaosSession;
  readonly store: HistoryStore;
  readonly scenariosDir: string;
  /** Quiets the live pipeline before a run shares its servers (workload stopped, faults healed). */
  readonly beforeRun: () => Promise<void>;
  /** A run's engine while it runs (the services panel and the pipeline API list it). */
  readonly onEngine: (engine: EngineProcess | null) => void;
}

/** What a request means on a terminal: the playground and the CLI plan it with the same code. */
export function cliArgs(r: RunRequest): string[] {
  return ['--scenario', r.scenario, '--source', r.source, '--seed', String(r.seed), '--runs', String(r.runs)];
}

export function cliCommand(r: RunRequest): string {
  return `npm run chaos -- ${cliArgs(r).join(' ')}`;
}

/** The runs a request stands for, exactly as `tidemark-chaos run` would plan them. */
export function planRequest(r: RunRequest, scenariosDir: string): PlannedRun[] {
  const args = parseRunArgs(cliArgs(r));
  if (args.scenario === 'random' || args.scenario === 'all') throw new PlanError(`--scenario ${args.scenario} runs from the terminal (npm run chaos); the playground runs one scenario at a time`);
  const scenarios = selectScenarios(args.scenario!, scenariosDir);
  const plan = planRuns(scenarios, args.source, args.seed, args.runs ?? 1);
  if (plan.length === 0) throw new PlanError(`nothing to run for source ${args.source}: ${skippedFor(scenarios, args.source).join('; ')}`);
  return plan;
}

function resultOf(run: ScenarioRun): RunResult {
  return {
    title: `${run.scenario} (${run.source})`,
    ok: runPassed(run),
    durationMs: run.durationMs,
    ...(run.seed !== undefined ? { seed: run.seed } : {}),
    verdicts: run.verdicts,
    ...(run.error ? { error: run.error } : {}),
    chart: { throughput: throughputSeries(run), lag: lagSeries(run), windows: faultWindows(run) },
  };
}

/**
 * Scenario runs from the page, one at a time, on the playground's servers: the CLI's planning
 * (parseRunArgs, selectScenarios, planRuns) and its runner (runPlan → runScenario), with progress
 * streamed to the tabs, reports written like `--report`, and every run kept in the history.
 */
export class RunManager {
  private abort: AbortController | null = null;

  constructor(private readonly options: RunManagerOptions) {
    this.options.hub.set('history', this.options.store.list());
  }

  get storeDir(): string {
    return this.options.store.dir;
  }

  get busy(): boolean {
    return this.abort !== null;
  }

  async start(request: RunRequest): Promise<RunView> {
    const plan = planRequest(request, this.options.scenariosDir);
    return this.launch('scenario', request, plan, `${plan.length} run(s): ${plan.map((r) => `${r.scenario.name}/${r.source} seed ${r.seed}`).join(', ')}`);
  }

  /** The config lab's A/B: the same scenario, seed and source twice, with pipeline templates A and B. */
  async startAb(scenario: string, source: 'mysql' | 'postgres', seed: number, templates: { a: string; b: string }): Promise<RunView> {
    const request: RunRequest = { scenario, source, seed, runs: 1 };
    const [base] = planRequest(request, this.options.scenariosDir);
    if (!base) throw new PlanError(`${scenario} does not run for ${source}`);
    const id = HistoryStore.newId();
    const dir = this.options.store.runDir(id);
    const paths = { a: join(dir, 'pipeline-a.yaml'), b: join(dir, 'pipeline-b.yaml') };
    mkdirSync(dir, { recursive: true });
    writeFileSync(paths.a, templates.a);
    writeFileSync(paths.b, templates.b);
    const plan: PlannedRun[] = [
      { ...base, pipelinePath: paths.a, label: 'A' },
      { ...base, pipelinePath: paths.b, label: 'B' },
    ];
    const cli = `${cliCommand(request)}, once with each pipeline template: ${paths.a}, ${paths.b}`;
    return this.launch('ab', request, plan, `A/B on ${scenario} (${source}, seed ${seed})`, id, cli);
  }

  stop(): boolean {
    if (!this.abort) return false;
    this.options.hub.runLog('■ stop requested: tearing the run down');
    this.abort.abort(new Error('stopped from the playground'));
    return true;
  }

  private async launch(kind: RunView['kind'], request: RunRequest, plan: PlannedRun[], what: string, id = HistoryStore.newId(), cli = cliCommand(request)): Promise<RunView> {
    if (this.abort) throw new RunBusyError();
    const abort = new AbortController();
    this.abort = abort;
    const { hub, store } = this.options;
    const startedAt = Date.now();
    const view: RunView = { id, kind, request, cli, status: 'running', startedAt, title: what, phase: 'preparing', activeFaults: [], log: [], samples: [], results: [] };
    hub.set('run', view);
    store.save(entryOf(view));
    hub.runLog(`plan: ${what}`);
    hub.runLog(`same run from a terminal: ${view.cli}`);
    void this.play(view, plan, abort).finally(() => {
      this.abort = null;
      this.options.onEngine(null);
    });
    return view;
  }

  private async play(view: RunView, plan: PlannedRun[], abort: AbortController): Promise<void> {
    const { hub, store } = this.options;
    const watches: DrainWatch[] = [];
    let runs: ScenarioRun[] = [];
    let error: string | undefined;
    try {
      await this.options.beforeRun();
      runs = await runPlan({
        runs: plan,
        session: this.options.session(),
        progress: new HubProgress(hub),
        signal: abort.signal,
        onEngine: (engine) => {
          this.options.onEngine(engine);
          if (view.kind === 'ab') {
            const watch = new DrainWatch(engine, '');
            watches.push(watch);
            watch.start();
          }
        },
      });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      hub.runLog(`harness error: ${error}`);
    } finally {
      for (const w of watches) w.stop();
    }
    const finishedAt = Date.now();
    const report: RunReport = { title: `tidemark-chaos playground: ${view.title}`, startedAt: view.startedAt, finishedAt, seed: view.request.seed, command: view.cli, runs };
    writeReports(store.runDir(view.id), report);
    const status: RunStatus = abort.signal.aborted ? 'stopped' : error ? 'error' : runs.length > 0 && runs.every(runPassed) ? 'passed' : 'failed';
    const ab: AbResult | undefined = view.kind === 'ab' && watches.length === 2 ? { scenario: view.request.scenario, a: watches[0]!.figures(), b: watches[1]!.figures() } : undefined;
    const done: RunView = {
      ...(hub.current.run?.id === view.id ? hub.current.run : view),
      status,
      finishedAt,
      phase: 'done',
      activeFaults: [],
      results: runs.map(resultOf),
      reportUrl: `/runs/${view.id}/report.html`,
      ...(ab ? { ab } : {}),
      ...(error ? { error } : {}),
    };
    hub.set('run', done);
    hub.runLog(`■ ${status}: ${runs.filter(runPassed).length} passed, ${runs.filter((r) => !runPassed(r)).length} failed`);
    store.save(entryOf(done));
    hub.set('history', store.list());
  }
}

export class RunBusyError extends Error {
  constructor() {
    super('a run is in progress: stop it or wait for it to end');
  }
}

function entryOf(v: RunView): HistoryEntry {
  const { log: _l, samples: _s, activeFaults: _a, phase: _p, ...entry } = v;
  return entry;
}
