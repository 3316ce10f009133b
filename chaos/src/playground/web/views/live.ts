import type { FaultView, LiveSample, PlaygroundState } from '../../protocol.js';
import { attempt, call } from '../api.js';
import { LineChart, type FaultWindow } from '../chart.js';
import { fill, h } from '../dom.js';
import type { Store } from '../store.js';
import { verdictTable } from './verdicts.js';

function slider(name: string, label: string, min: number, max: number, value: number, step = 1) {
  const out = h('output', {}, String(value));
  const input = h('input', { type: 'range', name, min, max, step, value, oninput: (e: Event) => (out.textContent = (e.target as HTMLInputElement).value) });
  return { el: h('label', { class: 'slider' }, `${label} `, input, ' ', out), input, out };
}

const windowsOf = (faults: readonly FaultView[], now: number): FaultWindow[] =>
  faults.map((f) => ({ from: f.at / 1000, to: (f.until ?? now) / 1000, label: `${f.kind} ${f.target}` }));

/** The live workload (sliders, either source), "check now" with its verdicts, and the live charts. */
export function liveView(store: Store): HTMLElement {
  const writers = slider('writers', 'writers', 1, 32, 4);
  const rate = slider('rate', 'tx/s', 1, 1000, 40);
  const ins = slider('insert', 'insert', 0, 10, 5);
  const upd = slider('update', 'update', 0, 10, 4);
  const del = slider('delete', 'delete', 0, 10, 1);
  const source = h('select', { id: 'live-source' }, h('option', { value: 'mysql' }, 'MariaDB (mysql)'), h('option', { value: 'postgres' }, 'PostgreSQL'));
  const status = h('div', { id: 'workload-status', class: 'muted' });
  const check = h('div', { id: 'check-result' });
  const settings = () => ({ writers: Number(writers.input.value), rate: Number(rate.input.value), mix: { insert: Number(ins.input.value), update: Number(upd.input.value), delete: Number(del.input.value) } });
  let synced = false;

  const controls = h('div', {},
    h('div', { class: 'row' }, 'source ', source, h('button', { type: 'button', id: 'switch-source', onclick: () => void attempt(() => call('POST', '/api/live/source', { source: source.value })) }, 'Switch'), h('span', { id: 'live-pipeline', class: 'muted' })),
    h('div', { class: 'row' }, writers.el, rate.el),
    h('div', { class: 'row' }, 'mix: ', ins.el, upd.el, del.el),
    h('div', { class: 'row' },
      h('button', { type: 'button', id: 'workload-start', onclick: () => void attempt(() => call('POST', '/api/workload', settings())) }, 'Start / apply'),
      h('button', { type: 'button', id: 'workload-stop', onclick: () => void attempt(() => call('POST', '/api/workload', { writers: 0 })) }, 'Stop'),
      h('button', { type: 'button', id: 'check-now', class: 'primary', onclick: () => void attempt(() => call('POST', '/api/check')) }, 'Check now')),
    status, check);

  const charts = {
    rows: new LineChart('rows', 'Rows written and records per sink', '', true),
    lag: new LineChart('lag', 'Lag per sink', ' s', true),
    throughput: new LineChart('throughput', 'Engine throughput per sink (tidemark_sink_events_total)', '/s', true),
    latency: new LineChart('latency', 'Batch delivery latency (tidemark_stage_latency_seconds)', ' ms', true),
  };

  const el = h('section', { class: 'card', id: 'live' },
    h('h2', {}, 'Live workload and check'), controls,
    h('div', { class: 'charts' }, charts.rows.el, charts.lag.el, charts.throughput.el, charts.latency.el));

  store.on(['live'], (s: PlaygroundState) => {
    const live = s.live;
    if (!live) {
      fill(status, s.status === 'ready' ? 'live pipeline restarting…' : 'waiting for the servers…');
      return;
    }
    if (!synced) {
      synced = true;
      source.value = live.source;
      for (const [sl, v] of [[writers, live.workload.writers || 4], [rate, live.workload.rate], [ins, live.workload.mix.insert], [upd, live.workload.mix.update], [del, live.workload.mix.delete]] as const) {
        sl.input.value = String(v);
        sl.out.textContent = String(v);
      }
    }
    fill(byIdIn(el, 'live-pipeline'), ` pipeline ${live.pipeline} → ${live.sinks.join(', ')} (${live.status}${live.detail ? `: ${live.detail}` : ''})`);
    const w = live.workload;
    status.setAttribute('data-state', w.state);
    fill(status, `workload ${w.state}: ${w.writers} writers, ${w.rate} tx/s · ok ${w.ok} · fail ${w.fail} · info ${w.info} · rows ${w.rowsWritten} · reconnects ${w.reconnects}${w.lastError ? ` · last error: ${w.lastError}` : ''}`);
  });

  store.on(['check'], (s: PlaygroundState) => {
    const c = s.check;
    if (!c) return fill(check);
    check.setAttribute('data-status', c.status);
    fill(check, h('h3', {}, `Check (${c.source}) — ${c.status === 'running' ? `running: ${c.phase}…` : c.status}`), c.error ? h('p', { class: 'bad' }, c.error) : null, c.status === 'done' ? verdictTable(c.verdicts) : null);
  });

  store.on(['samples', 'faults'], (s: PlaygroundState) => drawLive(charts, s.samples, windowsOf(s.faults.timeline, Date.now())));
  return el;
}

function byIdIn(root: HTMLElement, id: string): HTMLElement {
  return root.querySelector(`#${id}`) as HTMLElement;
}

function drawLive(charts: Record<'rows' | 'lag' | 'throughput' | 'latency', LineChart>, samples: readonly LiveSample[], windows: FaultWindow[]): void {
  const xs = samples.map((p) => p.t / 1000);
  const sinks = [...new Set(samples.flatMap((p) => Object.keys(p.lagMs)))].sort();
  const engineSinks = [...new Set(samples.flatMap((p) => Object.keys(p.eventsPerSec)))].sort();
  charts.rows.update(xs, [{ name: 'written', values: samples.map((p) => p.written) }, ...sinks.map((k) => ({ name: k, values: samples.map((p) => p.delivered[k] ?? null) }))], windows);
  charts.lag.update(xs, sinks.map((k) => ({ name: k, values: samples.map((p) => (p.lagMs[k] === null || p.lagMs[k] === undefined ? null : p.lagMs[k]! / 1000)) })), windows);
  charts.throughput.update(xs, engineSinks.map((k) => ({ name: k, values: samples.map((p) => p.eventsPerSec[k] ?? null) })), windows);
  charts.latency.update(xs, [{ name: 'p50', values: samples.map((p) => p.batchP50Ms) }, { name: 'p99', values: samples.map((p) => p.batchP99Ms) }], windows);
}
