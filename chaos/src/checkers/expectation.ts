import type { FaultEvent, Verdict } from '../history/index.js';
import type { Checker, CheckerDef, RunContext } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import type { RunFacts } from './run-facts.js';
import { inTables, versionFacts } from './sink-view.js';

/** What a scenario expects of the engine at the end of the run. */
export type Expectation =
  | { readonly outcome: 'healthy' }
  | {
      readonly outcome: 'halted';
      /** The error code the failed pipeline must report, e.g. TIDEMARK_ERR_SOURCE_POSITION_LOST. */
      readonly code?: string;
      /** A fragment its message must contain (case-insensitive). */
      readonly message_includes?: string;
      /** The /health status; 503 when not given. */
      readonly health?: number;
    };

/** Faults that open a gap in the source's log: after one, nothing may be skipped silently. */
export const GAP_FAULT_KINDS: readonly string[] = ['binlog-purge', 'slot-drop', 'failover'];

/**
 * The scenario-specific outcome: a healthy engine with every pipeline running, or a clear halt
 * (the failed pipeline's code and message, /health's status) — and, for a halt, nothing
 * silently skipped: no sink holds a version written after the gap fault while a version
 * acknowledged before it is missing there.
 */
export function expectationDef(expect: Expectation): CheckerDef {
  return {
    name: 'expectation',
    verdicts(ctx: RunContext): Verdict[] {
      const problems = new Examples();
      const counts: Record<string, number> = {};
      if (expect.outcome === 'healthy') judgeHealthy(ctx.facts, problems);
      else {
        judgeHalted(ctx.facts, expect, problems);
        counts.skipped = judgeNothingSkipped(ctx, problems);
      }
      counts.problems = problems.total;
      const summary = problems.total === 0 ? (expect.outcome === 'healthy' ? 'engine healthy, every pipeline running' : 'pipeline halted as expected and nothing was skipped') : problemSummary(problems);
      return [{ checker: 'expectation', validity: problems.total > 0 ? 'invalid' : 'valid', summary, counts, examples: problems.items }];
    },
  };
}

export function expectationChecker(expect: Expectation): Checker {
  return checkerOf('expectation', [expectationDef(expect)]);
}

function judgeHealthy(facts: RunFacts, problems: Examples): void {
  const { health, pipelines } = facts.engine;
  if (health === null || health < 200 || health > 299) problems.add(() => ({ problem: 'health', expected: 200, observed: health }));
  if (pipelines.length === 0) problems.add(() => ({ problem: 'pipelines', expected: 'running', observed: 'none reported' }));
  for (const p of pipelines) {
    if (p.status !== 'running') problems.add(() => ({ problem: 'pipeline status', pipeline: p.name, expected: 'running', observed: p.status, error: p.error ?? null }));
  }
}

function judgeHalted(facts: RunFacts, expect: Extract<Expectation, { outcome: 'halted' }>, problems: Examples): void {
  const { health, pipelines } = facts.engine;
  const wantHealth = expect.health ?? 503;
  if (health !== wantHealth) problems.add(() => ({ problem: 'health', expected: wantHealth, observed: health }));
  const failed = pipelines.filter((p) => p.status === 'failed');
  if (failed.length === 0) {
    problems.add(() => ({ problem: 'pipeline status', expected: 'failed', observed: pipelines.map((p) => `${p.name}: ${p.status}`) }));
    return;
  }
  const fragment = expect.message_includes?.toLowerCase();
  const matching = failed.filter((p) => (!expect.code || p.error?.code === expect.code) && (!fragment || (p.error?.message ?? '').toLowerCase().includes(fragment)));
  if (matching.length === 0) {
    problems.add(() => ({ problem: 'halt reason', expected: { code: expect.code, message_includes: expect.message_includes }, observed: failed.map((p) => ({ pipeline: p.name, ...(p.error ?? {}) })) }));
  }
}

/** Returns how many versions were delivered across a gap that left earlier versions missing. */
function judgeNothingSkipped(ctx: RunContext, problems: Examples): number {
  const gap = firstGap(ctx.faults);
  if (!gap) return 0;
  const { log } = ctx;
  let skipped = 0;
  for (const sink of ctx.sinks) {
    if (sink.meta.kind === 'dlq') continue;
    let missingBefore = -1;
    for (let v = 0; v < log.versionCount && missingBefore < 0; v++) {
      const t = log.vTxn.get(v);
      if (log.effectiveOutcome(t) === 'ok' && log.tCompletedAt.get(t) <= gap.at && inTables(log, sink.tables, v) && !sink.delivered.has(v)) missingBefore = v;
    }
    if (missingBefore < 0) continue;
    for (let v = 0; v < log.versionCount; v++) {
      if (!sink.delivered.has(v) || log.tInvokedAt.get(log.vTxn.get(v)) < gap.at) continue;
      skipped++;
      const missing = missingBefore;
      problems.add(() => ({
        problem: 'skipped past a gap',
        sink: sink.label,
        gap: `${gap.kind} ${gap.target} at ${new Date(gap.at).toISOString()}`,
        delivered: versionFacts(log, v),
        missingBefore: versionFacts(log, missing),
      }));
    }
  }
  return skipped;
}

function firstGap(faults: readonly FaultEvent[]): FaultEvent | undefined {
  return faults.filter((f) => GAP_FAULT_KINDS.includes(f.kind)).sort((a, b) => a.at - b.at)[0];
}

/** One line: each kind of problem once, with what was expected and what was observed. */
function problemSummary(problems: Examples): string {
  const firstOfKind = new Map<unknown, Readonly<Record<string, unknown>>>();
  for (const e of problems.items) if (!firstOfKind.has(e.problem)) firstOfKind.set(e.problem, e);
  return [...firstOfKind.values()]
    .map((e) => (e.problem === 'skipped past a gap' ? `${String(e.sink)} holds versions written after the ${String(e.gap)} while earlier acknowledged versions are missing` : `${String(e.problem)}: expected ${JSON.stringify(e.expected)}, observed ${JSON.stringify(e.observed)}`))
    .join('; ');
}
