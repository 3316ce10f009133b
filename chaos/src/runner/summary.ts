import { runPassed, runTitle, type ScenarioRun } from '../report/index.js';

/** What the CLI prints when a run ends: PASS/FAIL with time, then every verdict that is not valid. */
export function verdictLines(run: ScenarioRun): string[] {
  const passed = runPassed(run);
  const lines = [`${passed ? 'PASS' : 'FAIL'} ${runTitle(run)} in ${(run.durationMs / 1000).toFixed(1)} s (${run.verdicts.length} verdicts)`];
  for (const v of run.verdicts) {
    if (v.validity === 'valid') continue;
    lines.push(`  ${v.validity.toUpperCase()} ${v.checker}${v.sink ? ` [${v.sink}]` : ''}: ${v.summary}`);
    for (const e of v.examples.slice(0, 3)) lines.push(`    e.g. ${JSON.stringify(e)}`);
  }
  if (run.error) lines.push(`  HARNESS ERROR: ${run.error.split('\n').slice(0, 12).join('\n    ')}`);
  return lines;
}
