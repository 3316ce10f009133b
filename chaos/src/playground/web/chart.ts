import uPlot from 'uplot';
import { h } from './dom.js';

export interface FaultWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/**
 * A uPlot line chart with fault windows shaded behind the lines (a drawClear hook, uPlot's way
 * to paint under series), and a caption of the latest values that tests and people can read.
 */
export class LineChart {
  readonly el: HTMLElement;
  private plot: uPlot | null = null;
  private names: string[] = [];
  private windows: readonly FaultWindow[] = [];
  private readonly latest: HTMLElement;
  private readonly body: HTMLElement;

  constructor(readonly id: string, title: string, private readonly unit: string, private readonly time: boolean, private readonly width = 560) {
    this.body = h('div', { class: 'plot' });
    this.latest = h('div', { class: 'latest' });
    this.el = h('figure', { class: 'chart', 'data-chart': id }, h('figcaption', {}, title), this.body, this.latest);
  }

  update(xs: readonly number[], series: readonly { name: string; values: readonly (number | null)[] }[], windows: readonly FaultWindow[]): void {
    this.windows = windows;
    const names = series.map((s) => s.name);
    if (!this.plot || names.join('\u0000') !== this.names.join('\u0000')) this.create(names);
    this.plot!.setData([xs as number[], ...series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData);
    this.el.setAttribute('data-windows', String(windows.length));
    this.latest.replaceChildren(
      ...series.map((s, i) => {
        const v = [...s.values].reverse().find((x) => x !== null && x !== undefined) ?? null;
        const peak = Math.max(0, ...s.values.filter((x): x is number => typeof x === 'number'));
        return h('span', { class: 'value', 'data-series': s.name, 'data-value': v === null ? '' : String(v), 'data-peak': String(peak), style: `color:${PALETTE[i % PALETTE.length]}` }, `${s.name} ${v === null ? '–' : format(v)}${this.unit}`);
      }),
    );
  }

  private create(names: string[]): void {
    this.plot?.destroy();
    this.names = names;
    const opts: uPlot.Options = {
      width: this.width,
      height: 200,
      scales: { x: { time: this.time } },
      legend: { show: false },
      series: [{}, ...names.map((name, i) => ({ label: name, stroke: PALETTE[i % PALETTE.length], width: 1.6, spanGaps: false }))],
      axes: [{}, { size: 56 }],
      hooks: {
        drawClear: [
          (u: uPlot) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = 'rgba(207, 34, 46, 0.14)';
            for (const w of this.windows) {
              const x0 = u.valToPos(w.from, 'x', true);
              const x1 = u.valToPos(w.to, 'x', true);
              const left = Math.max(u.bbox.left, Math.min(x0, u.bbox.left + u.bbox.width));
              const right = Math.max(left, Math.min(x1, u.bbox.left + u.bbox.width));
              if (x1 < u.bbox.left) continue;
              ctx.fillRect(left, u.bbox.top, Math.max(right - left, 3), u.bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    };
    this.plot = new uPlot(opts, [[], ...names.map(() => [])] as uPlot.AlignedData, this.body);
  }
}

function format(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
