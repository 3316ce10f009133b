import type { ProviderChoice } from '../infra/select-provider.js';
import { runPassed, type ScenarioRun } from '../report/index.js';
import { servicesFor } from './plan.js';
import { verdictLines } from './summary.js';
import { TerminalProgress, type PlanProgress } from './progress.js';
import { runScenario, type RunScenarioOptions } from './run-scenario.js';
import { ChaosSession } from './session.js';
import type { PlannedRun } from './types.js';

export interface RunPlanOptions {
  readonly runs: readonly PlannedRun[];
  readonly provider?: ProviderChoice;
  readonly mutation?: string | null;
  readonly progress?: PlanProgress;
  readonly signal: AbortSignal;
  /** Play the runs on servers that are already up (the playground's); they are left running. */
  readonly session?: ChaosSession;
  /** Called with each run's engine process once it exists (the playground watches its metrics). */
  readonly onEngine?: RunScenarioOptions['onEngine'];
}

/**
 * Starts the servers every planned run needs (once), plays the runs in order, and always tears
 * everything down, also after Ctrl-C (the signal). Engine logs of failed runs are kept.
 */
export async function runPlan(o: RunPlanOptions): Promise<ScenarioRun[]> {
  const progress = o.progress ?? new TerminalProgress();
  const session = o.session ?? (await withSession(o, progress));
  const results: ScenarioRun[] = [];
  try {
    for (const [i, run] of o.runs.entries()) {
      if (o.signal.aborted) break;
      progress.begin(`[${i + 1}/${o.runs.length}] ${run.scenario.name}${run.label ? ` ${run.label}` : ''} (${run.source})`);
      const result = await runScenario({ session, run, mutation: o.mutation ?? null, progress, signal: o.signal, ...(o.onEngine ? { onEngine: o.onEngine } : {}) });
      results.push(result);
      progress.end(verdictLines(result).join('\n'));
    }
  } finally {
    if (!o.session) {
      const keep = results.some((r) => !runPassed(r));
      await session.close(keep);
      if (keep) progress.end(`engine data and logs kept in ${session.root}`);
    }
  }
  return results;
}

async function withSession(o: RunPlanOptions, progress: PlanProgress): Promise<ChaosSession> {
  const services = servicesFor(o.runs);
  const started = Date.now();
  progress.end(`starting ${services.join(', ')} behind Toxiproxy...`);
  const session = await ChaosSession.start({ services, ...(o.provider ? { provider: o.provider } : {}), http: o.runs.some((r) => r.scenario.sinks.http !== undefined) });
  progress.end(`infrastructure up in ${((Date.now() - started) / 1000).toFixed(1)} s (${session.topology.provider})`);
  return session;
}

