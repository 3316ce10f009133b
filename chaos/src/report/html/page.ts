import { escapeHtml as e } from '../escape.js';
import { runPassed, runTitle, summaryLine, type RunReport, type ScenarioRun } from '../model.js';
import { lineChart } from './chart.js';
import { faultWindows, lagSeries, memorySeries, throughputSeries } from './series.js';
import { STYLES } from './styles.js';
import { verdictTable } from './verdicts.js';

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no scripts, no external assets)
 * with the totals, then per scenario × source its verdicts, faults, and a throughput and a lag
 * chart with the fault windows shaded.
 */
export function renderHtml(report: RunReport): string {
  const title = report.title ?? 'Tidemark chaos report';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${STYLES}</style>`,
    '</head><body>',
    `<h1>${e(title)}</h1>`,
    `<p class="meta">${e(new Date(report.startedAt).toISOString())} · ${seconds(report.finishedAt - report.startedAt)}${report.seed === undefined ? '' : ` · seed ${report.seed}`}${report.command ? ` · <code>${e(report.command)}</code>` : ''}</p>`,
    `<p class="summary-line">${e(summaryLine(report))}</p>`,
    overview(report.runs),
    ...report.runs.map(runSection),
    '</body></html>',
    '',
  ].join('\n');
}

function overview(runs: readonly ScenarioRun[]): string {
  const rows = runs.map((r, i) => {
    const failing = r.verdicts.filter((v) => v.validity !== 'valid').map((v) => `${v.checker}${v.sink ? ` [${v.sink}]` : ''}`);
    const status = runPassed(r) ? 'passed' : 'failed';
    return `<tr><td><a href="#run-${i}">${e(runTitle(r))}</a></td><td><span class="badge ${status}">${status}</span></td><td>${seconds(r.durationMs)}</td><td>${e([...failing, ...(r.error ? ['harness error'] : [])].join(', '))}</td></tr>`;
  });
  return `<table class="overview"><thead><tr><th>scenario</th><th>result</th><th>duration</th><th>not valid</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function runSection(run: ScenarioRun, index: number): string {
  const status = runPassed(run) ? 'passed' : 'failed';
  const windows = faultWindows(run);
  const xMax = run.durationMs / 1000;
  const phases = run.phases?.map((p) => `${e(p.name)} ${seconds(p.ms)}`).join(' · ');
  return [
    `<section class="run" id="run-${index}" data-passed="${runPassed(run)}">`,
    `<header><h2>${e(runTitle(run))}</h2><span class="badge ${status}">${status}</span><span class="muted">${seconds(run.durationMs)}${run.seed === undefined ? '' : ` · seed ${run.seed}`}${run.sinks.length ? ` · sinks: ${e(run.sinks.join(', '))}` : ''}</span></header>`,
    run.description ? `<p>${e(run.description)}</p>` : '',
    phases ? `<p class="muted">phases: ${phases}</p>` : '',
    run.error ? `<p class="error">harness error: ${e(run.error)}</p>` : '',
    verdictTable(run.verdicts),
    measurementTable(run),
    interimTable(run),
    faultTable(run),
    '<div class="charts">',
    lineChart({ id: 'throughput', title: 'Throughput: written vs delivered per sink', xLabel: 'seconds since start', yLabel: 'events/s', series: throughputSeries(run), windows, xMax }),
    lineChart({ id: 'lag', title: 'Lag per sink', xLabel: 'seconds since start', yLabel: 'lag (s)', series: lagSeries(run), windows, xMax }),
    run.engineMemory && run.engineMemory.length > 0 ? lineChart({ id: 'memory', title: 'Engine memory', xLabel: 'seconds since start', yLabel: 'MB', series: memorySeries(run), windows, xMax }) : '',
    '</div>',
    run.scenarioYaml ? `<details><summary>scenario YAML (re-run with it)</summary><pre>${e(run.scenarioYaml)}</pre></details>` : '',
    '</section>',
  ].join('\n');
}

/** What the run measured (events/s, latency, engine memory and CPU) and what judging cost. */
function measurementTable(run: ScenarioRun): string {
  const rows = Object.entries(run.measurements ?? {}).map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(v.toLocaleString('en-US'))}</td></tr>`);
  if (run.checks) {
    const c = run.checks;
    rows.push(`<tr><td>checked</td><td>${e(`${c.records.toLocaleString('en-US')} records, ${c.versions.toLocaleString('en-US')} versions in ${c.seconds.toFixed(1)} s; checkers ${(c.checkerBytes / 1048576).toFixed(0)} MB, source log ${(c.sourceBytes / 1048576).toFixed(0)} MB`)}</td></tr>`);
  }
  return rows.length === 0 ? '' : `<table class="measurements"><thead><tr><th>measured</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A soak's periodic checks: when each was taken and what it found. */
function interimTable(run: ScenarioRun): string {
  if (!run.interim || run.interim.length === 0) return '';
  const rows = run.interim.map((c) => `<tr><td>${seconds(c.t * 1000)}</td><td>${c.records.toLocaleString('en-US')}</td><td>${e(c.verdicts.map((v) => `${v.checker}${v.sink ? ` [${v.sink}]` : ''}: ${v.summary}`).join('; ') || 'no violation')}</td><td>${e(Object.entries(c.behind).map(([k, n]) => `${k} ${n}`).join(', '))}</td></tr>`);
  return `<table class="interim"><thead><tr><th>check at</th><th>records judged</th><th>found</th><th>behind</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function faultTable(run: ScenarioRun): string {
  if (run.faults.length === 0) return '<p class="muted">No faults injected.</p>';
  const rows = faultWindows(run).map((w, i) => {
    const f = run.faults[i]!;
    return `<tr><td>${e(f.kind)}</td><td>${e(f.target)}</td><td>${w.from.toFixed(1)} s</td><td>${f.until === null ? 'not healed' : w.to === w.from ? 'instant' : `${(w.to - w.from).toFixed(1)} s`}</td><td><code>${f.detail ? e(JSON.stringify(f.detail)) : ''}</code></td></tr>`;
  });
  return `<table class="faults"><thead><tr><th>fault</th><th>target</th><th>at</th><th>lasted</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
