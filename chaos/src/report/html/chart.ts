import { escapeHtml as e } from '../escape.js';
import { formatTick, ticks } from './scale.js';

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** Drawn dashed, so a reference line stays visible under the others. */
  readonly dashed?: boolean;
  /** [x, y] in data units; a null y breaks the line. */
  readonly points: readonly (readonly [number, number | null])[];
}

/** A shaded interval of the x axis, e.g. a fault's window. */
export interface ChartWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartSpec {
  /** Becomes `data-chart`, so tests and readers can find the chart. */
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly windows: readonly ChartWindow[];
  /** Upper end of the x axis; defaults to the data's. */
  readonly xMax?: number;
}

const W = 760;
const H = 260;
const M = { top: 30, right: 16, bottom: 38, left: 56 };
const LANE = 12;

/** An inline SVG line chart with shaded, labelled windows. Pure: spec in, markup out. */
export function lineChart(spec: ChartSpec): string {
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const xTicks = ticks(Math.max(spec.xMax ?? 0, ...xs, ...spec.windows.map((w) => w.to), 1));
  const yTicks = ticks(Math.max(...ys, 1), 4);
  const xMax = xTicks[xTicks.length - 1]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const px = (x: number) => M.left + (x / xMax) * plotW;
  const py = (y: number) => M.top + plotH - (y / yMax) * plotH;
  const f = (n: number) => n.toFixed(1);

  const grid = yTicks.map((t) => `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(py(t))}" y2="${f(py(t))}"/><text class="tick" x="${M.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`);
  const xAxis = xTicks.map((t) => `<text class="tick" x="${f(px(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${formatTick(t)}</text>`);
  const windows = layoutLabels(spec.windows, px).map(({ w, lane }) => {
    const x0 = px(w.from);
    const width = Math.max(px(w.to) - x0, 2);
    return `<g class="fault"><rect class="fault-window" x="${f(x0)}" y="${M.top}" width="${f(width)}" height="${plotH}"><title>${e(w.label)}</title></rect><text class="fault-label" x="${f(x0 + 2)}" y="${M.top + 10 + lane * LANE}">${e(w.label)}</text></g>`;
  });
  const paths = spec.series.map((s) => {
    const d = pathData(s.points, px, py);
    return d ? `<path class="series${s.dashed ? ' dashed' : ''}" data-series="${e(s.name)}" d="${d}" stroke="${e(s.color)}"/>` : '';
  });
  const legend = spec.series.map((s, i) => `<g transform="translate(${M.left + i * 150},${12})"><rect width="10" height="10" fill="${e(s.color)}"/><text class="legend" x="14" y="9">${e(s.name)}</text></g>`);
  const empty = ys.length === 0 ? `<text class="empty" x="${W / 2}" y="${H / 2}" text-anchor="middle">no samples</text>` : '';
  return [
    `<figure class="chart-box"><figcaption>${e(spec.title)}</figcaption>`,
    `<svg class="chart" data-chart="${e(spec.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${e(spec.title)}" xmlns="http://www.w3.org/2000/svg">`,
    ...grid,
    ...windows,
    `<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`,
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}"/>`,
    ...xAxis,
    `<text class="axis-label" x="${M.left + plotW / 2}" y="${H - 4}" text-anchor="middle">${e(spec.xLabel)}</text>`,
    `<text class="axis-label" transform="translate(12,${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${e(spec.yLabel)}</text>`,
    ...paths,
    ...legend,
    empty,
    '</svg></figure>',
  ].join('');
}

/** SVG path data; null y values split the line into segments. */
function pathData(points: ChartSeries['points'], px: (x: number) => number, py: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)} ${py(y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Stacks labels of windows that start close together into lanes so they do not overprint. */
function layoutLabels(windows: readonly ChartWindow[], px: (x: number) => number): { w: ChartWindow; lane: number }[] {
  const laneEnds: number[] = [];
  return [...windows]
    .sort((a, b) => a.from - b.from)
    .map((w) => {
      const start = px(w.from);
      const end = start + w.label.length * 6 + 6;
      let lane = laneEnds.findIndex((until) => until <= start);
      if (lane === -1) lane = laneEnds.length;
      laneEnds[lane] = end;
      return { w, lane: Math.min(lane, 8) };
    });
}
