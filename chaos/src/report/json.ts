import { runPassed, summarize, type RunReport } from './model.js';

/** `report.json`: the model as is, plus `passed` per run and the totals. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify({ ...report, summary: summarize(report), runs: report.runs.map((r) => ({ ...r, passed: runPassed(r) })) }, null, 2)}\n`;
}
