import { ConfigError } from '@tidemark/engine/config/index';
import { runPassed, summaryLine, writeReports, type RunReport, type ScenarioRun } from '../report/index.js';
import { parseRunArgs, RUN_USAGE, type RunArgs } from '../runner/cli-args.js';
import { adjustScenario } from '../runner/adjust.js';
import { listScenarios } from '../runner/list.js';
import { PlanError, planRuns, selectScenarios, servicesFor, skippedFor } from '../runner/plan.js';
import { SCENARIOS_DIR } from '../runner/paths.js';
import { TerminalProgress } from '../runner/progress.js';
import { runRandom } from '../runner/random.js';
import { runPlan } from '../runner/run-plan.js';
import { ChaosSession } from '../runner/session.js';
import { loadScenarios } from '../scenarios/index.js';

/** `tidemark-chaos run` (what `npm run chaos -- ...` calls). */
export async function runCommand(argv: string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (e) {
    console.error(`tidemark-chaos run: ${(e as Error).message}\n\n${RUN_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  try {
    if (args.list) {
      // As `all` runs them: the short versions (sources, durations) the coverage matrix describes.
      console.log(listScenarios(loadScenarios(SCENARIOS_DIR).map((l) => ({ ...l, scenario: adjustScenario(l.scenario, { short: true }) }))));
      return 0;
    }
    return await execute(args);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tidemark-chaos run: invalid scenario:\n${e.problems.map((p) => `  ${p.file}: ${p.path}: ${p.reason}`).join('\n')}`);
      return 2;
    }
    if (e instanceof PlanError) {
      console.error(`tidemark-chaos run: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function execute(args: RunArgs): Promise<number> {
  // The image set reaches the provider the same way $TIDEMARK_IMAGES does.
  if (args.images) process.env.TIDEMARK_IMAGES = args.images;
  const started = Date.now();
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (abort.signal.aborted) {
      // Second Ctrl-C: leave at once; servers and the engine die with us (pdeathsig).
      process.exit(130);
    }
    console.error(`\n${sig}: stopping the current run and tearing everything down (Ctrl-C again to quit at once)`);
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = new TerminalProgress();
  if (!args.seedGiven) progress.end(`seed ${args.seed} (repeat with --seed ${args.seed})`);
  let runs: ScenarioRun[] = [];
  try {
    runs = args.scenario === 'random' ? await randomRuns(args, progress, abort.signal) : await namedRuns(args, progress, abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const report: RunReport = { title: 'tidemark-chaos', startedAt: started, finishedAt: Date.now(), seed: args.seed, command: `tidemark-chaos run ${process.argv.slice(3).join(' ')}`.trim(), runs };
  if (args.report) {
    const paths = writeReports(args.report, report);
    console.log(`reports: ${paths.json}, ${paths.junit}, ${paths.html}`);
  }
  printSummary(report);
  if (abort.signal.aborted) return 130;
  return runs.length > 0 && summaryLine(report).endsWith(' 0 failed') ? 0 : 1;
}

async function namedRuns(args: RunArgs, progress: TerminalProgress, signal: AbortSignal): Promise<ScenarioRun[]> {
  const adjustments = { short: args.scenario === 'all', ...(args.rows !== null ? { rows: args.rows } : {}), ...(args.duration !== null ? { durationMin: args.duration } : {}), set: args.set };
  const scenarios = selectScenarios(args.scenario!, SCENARIOS_DIR).map((l) => ({ ...l, scenario: adjustScenario(l.scenario, adjustments) }));
  const plan = planRuns(scenarios, args.source, args.seed, args.runs ?? 1);
  if (plan.length === 0) throw new PlanError(`nothing to run for --source ${args.source}: ${skippedFor(scenarios, args.source).join('; ')}`);
  progress.end(`plan: ${plan.length} runs (${plan.map((r) => `${r.scenario.name}/${r.source}`).join(', ')})${args.mutation ? `, mutation ${args.mutation}` : ''}`);
  return runPlan({ runs: plan, provider: args.provider, mutation: args.mutation, progress, signal });
}

async function randomRuns(args: RunArgs, progress: TerminalProgress, signal: AbortSignal): Promise<ScenarioRun[]> {
  const base = loadScenarios(SCENARIOS_DIR).find((l) => l.scenario.name === 'random-base');
  if (!base) throw new PlanError(`scenarios/random-base.yaml is missing: it is the workload and sinks random schedules run over`);
  const sources = base.scenario.sources.filter((f) => args.source === 'both' || f === args.source);
  if (sources.length === 0) throw new PlanError(`random-base runs only for ${base.scenario.sources.join(', ')}`);
  const services = servicesFor(sources.map((source) => ({ scenario: base.scenario, pipelinePath: base.pipelinePath, source, seed: args.seed })));
  const started = Date.now();
  progress.end(`starting ${services.join(', ')} behind Toxiproxy...`);
  const session = await ChaosSession.start({ services, provider: args.provider, http: base.scenario.sinks.http !== undefined });
  progress.end(`infrastructure up in ${((Date.now() - started) / 1000).toFixed(1)} s (${session.topology.provider}); ${args.runs ?? 10} generated schedules over random-base, seed ${args.seed}`);
  let outcome;
  let keep = true;
  try {
    outcome = await runRandom({ session, base, sources, seed: args.seed, runs: args.runs ?? 10, mutation: args.mutation, progress, signal });
    keep = outcome.shrunk !== null;
  } finally {
    await session.close(keep);
  }
  if (outcome.shrunk) {
    console.log(`\nThe smallest failing schedule (${outcome.shrunk.run.scenario}, ${outcome.shrunk.source}) as a scenario file:\n`);
    console.log(outcome.shrunk.yaml);
  }
  return outcome.runs;
}

function printSummary(report: RunReport): void {
  console.log('');
  for (const run of report.runs) console.log(`${runPassed(run) ? 'PASS' : 'FAIL'}  ${run.scenario} (${run.source})  ${(run.durationMs / 1000).toFixed(1)} s`);
  console.log(`total ${((report.finishedAt - report.startedAt) / 1000).toFixed(1)} s`);
  console.log(summaryLine(report));
}
