import fc from 'fast-check';
import type { ProxyTarget } from '../scenarios/index.js';
import { faultScheduleArbitrary, scenarioToYaml, withSchedule, type LoadedScenario, type NemesisStep, type Scenario } from '../scenarios/index.js';
import { runPassed, type ScenarioRun } from '../report/index.js';
import type { TerminalProgress } from './progress.js';
import { runScenario } from './run-scenario.js';
import type { ChaosSession } from './session.js';
import { verdictLines } from './summary.js';
import type { SourceFamily } from './types.js';

export interface RandomRunOptions {
  readonly session: ChaosSession;
  readonly base: LoadedScenario;
  readonly sources: readonly SourceFamily[];
  readonly seed: number;
  /** Generated schedules to try (fast-check numRuns). */
  readonly runs: number;
  readonly mutation?: string | null;
  readonly progress: TerminalProgress;
  readonly signal: AbortSignal;
  /** Bounds on shrinking after the first failure: scenario runs and wall time. */
  readonly shrink?: { readonly maxRuns: number; readonly maxMs: number };
}

export interface RandomOutcome {
  readonly runs: ScenarioRun[];
  /** The smallest failing schedule found, as a scenario file, when any run failed. */
  readonly shrunk: { readonly scenario: Scenario; readonly source: SourceFamily; readonly yaml: string; readonly run: ScenarioRun } | null;
}

/** Servers a random schedule may kill or restart: their acknowledged data survives a SIGKILL of the process. */
const RANDOM_SERVERS: readonly ProxyTarget[] = ['source', 'kafka', 'redis'];

/**
 * Property-based runs: fast-check draws fault schedules (faultScheduleArbitrary, seeded) over the
 * base scenario's short workload, each schedule is run as a scenario, and the property is "every
 * checker passed". On a failure fast-check shrinks the schedule; the shrink is bounded (after
 * the budget every further candidate is reported as passing without running, which ends it).
 */
export async function runRandom(o: RandomRunOptions): Promise<RandomOutcome> {
  const base = o.base.scenario;
  const budget = o.shrink ?? { maxRuns: 8, maxMs: 10 * 60_000 };
  const proxies: ProxyTarget[] = ['source', ...(['kafka', 'redis', 'nats', 'http'] as const).filter((k) => base.sinks[k] !== undefined)];
  const servers = RANDOM_SERVERS.filter((s) => s === 'source' || proxies.includes(s));
  const arbitrary = fc.record({
    source: fc.constantFrom(...o.sources),
    schedule: faultScheduleArbitrary({ durationS: base.workload.duration, proxies, servers, maxFaults: 4 }),
  });
  const runs: ScenarioRun[] = [];
  let failing: RandomOutcome['shrunk'] = null;
  let firstFailureAt: number | null = null;
  let shrinkRuns = 0;
  let drawn = 0;

  const property = fc.asyncProperty(arbitrary, async ({ source, schedule }) => {
    if (firstFailureAt !== null && (shrinkRuns >= budget.maxRuns || Date.now() - firstFailureAt > budget.maxMs)) return true;
    o.signal.throwIfAborted();
    const shrinking = firstFailureAt !== null;
    const name = shrinking ? `random-${o.seed}-shrink-${++shrinkRuns}` : `random-${o.seed}-${++drawn}`;
    const scenario = withSchedule(base, schedule as NemesisStep[], name);
    o.progress.begin(`[${shrinking ? `shrink ${shrinkRuns}/${budget.maxRuns}` : `${drawn}/${o.runs}`}] ${name} (${source}): ${describeSchedule(scenario.nemesis)}`);
    const run = await runScenario({ session: o.session, run: { scenario, pipelinePath: o.base.pipelinePath, source, seed: o.seed }, mutation: o.mutation ?? null, progress: o.progress, signal: o.signal });
    runs.push(run);
    o.progress.end(verdictLines(run).join('\n'));
    const passed = runPassed(run);
    if (!passed) {
      firstFailureAt ??= Date.now();
      const shrunk = { ...scenario, name: `random-${o.seed}-shrunk`, description: `A fault schedule that failed (shrunk by --scenario random --seed ${o.seed}).`, sources: [source], tags: ['random', 'shrunk'] };
      failing = { scenario, source, run, yaml: scenarioToYaml(shrunk, { comment: shrunkComment(o, source, run) }) };
    }
    return passed;
  });
  try {
    await fc.assert(property, { seed: o.seed, numRuns: o.runs, endOnFailure: false });
  } catch (e) {
    if (o.signal.aborted) throw o.signal.reason;
    if (!failing) throw e; // fast-check itself failed, not a run
  }
  return { runs, shrunk: failing };
}

function describeSchedule(steps: readonly NemesisStep[]): string {
  if (steps.length === 0) return 'no faults';
  return steps.map((s) => `${s.fault}@${s.target} ${s.at}s+${s.duration}s`).join(', ');
}

function shrunkComment(o: RandomRunOptions, source: SourceFamily, run: ScenarioRun): string {
  const failed = run.verdicts.filter((v) => v.validity !== 'valid').map((v) => `${v.checker}${v.sink ? ` [${v.sink}]` : ''}: ${v.summary}`);
  return [
    `Smallest failing schedule found by --scenario random --seed ${o.seed}${o.mutation ? ` --mutation ${o.mutation}` : ''} (source ${source}).`,
    ...failed.slice(0, 5),
    ...(run.error ? [`harness error: ${run.error.split('\n')[0]}`] : []),
    `Save as random-${o.seed}-shrunk.yaml and re-run: npm run chaos -- --scenario ./random-${o.seed}-shrunk.yaml --source ${source}`,
  ].join('\n');
}
