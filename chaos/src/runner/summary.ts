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
  const figures = measurementLine(run);
  if (figures) lines.push(`  measured: ${figures}`);
  const leak = run.verdicts.find((v) => v.checker === 'leak' && v.validity === 'valid');
  if (leak) lines.push(`  memory: ${leak.summary}`);
  if (run.checks) lines.push(`  checked ${run.checks.records.toLocaleString('en-US')} records (${run.checks.versions.toLocaleString('en-US')} versions) in ${run.checks.seconds.toFixed(1)} s; checkers' memory ${mb(run.checks.checkerBytes)} MB, source log ${mb(run.checks.sourceBytes)} MB`);
  return lines;
}

/** The run's figures on one line, as people read them (events/s, latency, engine memory and CPU). */
export function measurementLine(run: ScenarioRun): string {
  const m = run.measurements ?? {};
  return Object.entries(m)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v.toLocaleString('en-US') : v}`)
    .join(', ');
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
