import type { HistoryEntry, PlaygroundState, RunResult, RunView } from '../../protocol.js';
import { attempt, call } from '../api.js';
import { LineChart } from '../chart.js';
import { clock, fill, h, seconds } from '../dom.js';
import type { Store } from '../store.js';
import { verdictTable } from './verdicts.js';

function resultView(r: RunResult, i: number): HTMLElement {
  const throughput = new LineChart(`run-throughput-${i}`, 'Throughput: written vs delivered (events/s)', '/s', false, 520);
  const lag = new LineChart(`run-lag-${i}`, 'Lag per sink', ' s', false, 520);
  const xs = [...new Set([...r.chart.throughput, ...r.chart.lag].flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const at = (points: readonly (readonly [number, number | null])[]) => {
    const m = new Map(points.map((p) => [p[0], p[1]]));
    return xs.map((x) => m.get(x) ?? null);
  };
  const windows = r.chart.windows.map((w) => ({ from: w.from, to: w.to, label: w.label }));
  const el = h('div', { class: 'result', 'data-result': r.title, 'data-ok': String(r.ok) },
    h('h4', {}, h('span', { class: `badge ${r.ok ? 'valid' : 'invalid'}` }, r.ok ? 'passed' : 'failed'), ` ${r.title} in ${seconds(r.durationMs)}${r.seed !== undefined ? ` · seed ${r.seed}` : ''}`),
    r.error ? h('pre', { class: 'bad' }, r.error) : null,
    verdictTable(r.verdicts),
    h('div', { class: 'charts' }, throughput.el, lag.el));
  // uPlot measures its container: draw once attached.
  requestAnimationFrame(() => {
    throughput.update(xs, r.chart.throughput.map((s) => ({ name: s.name, values: at(s.points) })), windows);
    lag.update(xs, r.chart.lag.map((s) => ({ name: s.name, values: at(s.points) })), windows);
  });
  return el;
}

function abTable(run: RunView): HTMLElement | null {
  if (!run.ab) return null;
  // null: a figure that is neither better nor worse when it grows.
  const rows: [string, keyof NonNullable<RunView['ab']>['a'], boolean | null][] = [['events/s', 'eventsPerSec', true], ['p99 batch latency (ms)', 'p99BatchMs', false], ['peak RSS (MB)', 'peakRssMb', false], ['events drained', 'events', null]];
  const f = (v: number | null) => (v === null ? '–' : v.toFixed(v >= 100 ? 0 : 1));
  return h('table', { class: 'ab', id: 'ab-result' }, h('thead', {}, h('tr', {}, ...['', 'A', 'B', 'B vs A'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows.map(([label, key, higherIsBetter]) => {
      const a = run.ab!.a[key];
      const b = run.ab!.b[key];
      const diff = a !== null && b !== null && a !== 0 ? (b / a - 1) * 100 : null;
      const better = diff === null || higherIsBetter === null || Math.abs(diff) < 1 ? '' : (diff > 0) === higherIsBetter ? 'good' : 'bad';
      return h('tr', { 'data-figure': key }, h('td', {}, label), h('td', { 'data-config': 'a' }, f(a)), h('td', { 'data-config': 'b' }, f(b)), h('td', { class: better }, diff === null ? '–' : `${diff >= 0 ? '+' : ''}${diff.toFixed(1)} %`));
    })));
}

/** Scenario runner: pick, run, stop; progress and log stream in; verdicts, charts, report, history. */
export function runnerView(store: Store): HTMLElement {
  const scenario = h('select', { id: 'run-scenario' });
  const source = h('select', { id: 'run-source' }, ...['both', 'mysql', 'postgres'].map((s) => h('option', { value: s }, s)));
  const seed = h('input', { id: 'run-seed', type: 'number', min: 0, value: 1 });
  const runs = h('input', { id: 'run-runs', type: 'number', min: 1, max: 50, value: 1 });
  const current = h('div', { id: 'run-current' });
  const history = h('tbody', { id: 'run-history' });
  let logEl: HTMLPreElement | null = null;
  let shownRun = '';
  let shownResults = -1;

  const el = h('section', { class: 'card', id: 'runner' },
    h('h2', {}, 'Scenario runner'),
    h('div', { class: 'row' }, 'scenario ', scenario, ' source ', source, ' seed ', seed, ' runs ', runs,
      h('button', { type: 'button', id: 'run-start', class: 'primary', onclick: () => void attempt(() => call('POST', '/api/runs', { scenario: scenario.value, source: source.value, seed: Number(seed.value), runs: Number(runs.value) })) }, 'Run'),
      h('button', { type: 'button', id: 'run-stop', onclick: () => void attempt(() => call('POST', '/api/runs/stop')) }, 'Stop')),
    current,
    h('h3', {}, 'History'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['started', 'run', 'result', 'report', ''].map((t) => h('th', {}, t)))), history));

  store.on(['catalog'], (s: PlaygroundState) => {
    const byTag = new Map<string, string[]>();
    for (const sc of s.catalog.scenarios) {
      const tag = sc.tags.find((t) => t !== 'template') ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), sc.name]);
    }
    const chosen = scenario.value;
    fill(scenario, ...[...byTag].sort(([a], [b]) => a.localeCompare(b)).map(([tag, names]) => h('optgroup', { label: tag }, ...names.map((n) => h('option', { value: n, selected: n === chosen }, n)))));
  });

  store.on(['run'], (s: PlaygroundState) => {
    const run = s.run;
    if (!run) return fill(current, h('p', { class: 'muted' }, 'No run yet.'));
    if (run.id !== shownRun || !logEl) {
      shownRun = run.id;
      shownResults = -1;
      logEl = h('pre', { class: 'log', id: 'run-log' });
      fill(current, h('div', { id: 'run-head' }), logEl, h('div', { id: 'run-ab' }), h('div', { id: 'run-results' }));
    }
    const head = current.querySelector('#run-head') as HTMLElement;
    head.setAttribute('data-status', run.status);
    head.setAttribute('data-kind', run.kind);
    fill(head, h('p', {}, h('span', { class: `badge ${run.status}`, id: 'run-status' }, run.status), ` ${run.title} · phase ${run.phase}`, run.activeFaults.length ? h('span', { class: 'bad' }, ` · faults: ${run.activeFaults.join(', ')}`) : null, run.reportUrl ? h('a', { href: run.reportUrl, target: '_blank', id: 'run-report' }, ' report.html') : null),
      h('p', { class: 'mono muted' }, run.cli));
    const stick = logEl.scrollTop + logEl.clientHeight >= logEl.scrollHeight - 20;
    logEl.textContent = run.log.join('\n');
    if (stick) logEl.scrollTop = logEl.scrollHeight;
    const ab = current.querySelector('#run-ab') as HTMLElement;
    fill(ab, abTable(run));
    if (run.results.length !== shownResults) {
      shownResults = run.results.length;
      fill(current.querySelector('#run-results') as HTMLElement, ...run.results.map(resultView));
    }
  });

  store.on(['history'], (s: PlaygroundState) => fill(history, ...s.history.map((e: HistoryEntry) =>
    h('tr', { 'data-run-id': e.id, 'data-status': e.status },
      h('td', {}, `${new Date(e.startedAt).toLocaleDateString()} ${clock(e.startedAt)}`),
      h('td', {}, e.kind === 'ab' ? `A/B ${e.request.scenario} (${e.request.source})` : `${e.request.scenario} (${e.request.source}) seed ${e.request.seed} ×${e.request.runs}`),
      h('td', {}, h('span', { class: `badge ${e.status}` }, e.status)),
      h('td', {}, e.reportUrl ? h('a', { href: e.reportUrl, target: '_blank' }, 'report.html') : ''),
      h('td', {}, e.kind === 'scenario' ? h('button', { type: 'button', class: 'small', 'data-rerun': e.id, onclick: () => void attempt(() => call('POST', `/api/runs/${e.id}/rerun`)) }, 'Re-run (same seed)') : '')))));
  return el;
}
