import type { FaultEvent } from '../../history/index.js';
import type { ScenarioRun } from '../model.js';
import type { ChartSeries, ChartWindow } from './chart.js';

const WRITTEN = '#3b3b3b';
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

export function sinkColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Events per second between consecutive samples: written, and delivered per sink. */
export function throughputSeries(run: ScenarioRun): ChartSeries[] {
  const rate = (pick: (i: number) => number) => {
    const points: [number, number][] = [];
    for (let i = 1; i < run.timeline.length; i++) {
      const dt = (run.timeline[i]!.t - run.timeline[i - 1]!.t) / 1000;
      if (dt > 0) points.push([run.timeline[i]!.t / 1000, Math.max(0, (pick(i) - pick(i - 1)) / dt)]);
    }
    return points;
  };
  return [
    { name: 'written', color: WRITTEN, dashed: true, points: rate((i) => run.timeline[i]!.written) },
    ...run.sinks.map((sink, k) => ({ name: `delivered: ${sink}`, color: sinkColor(k), points: rate((i) => run.timeline[i]!.delivered[sink] ?? 0) })),
  ];
}

/** Lag per sink in seconds; unknown instants break the line. */
export function lagSeries(run: ScenarioRun): ChartSeries[] {
  return run.sinks.map((sink, k) => ({
    name: sink,
    color: sinkColor(k),
    points: run.timeline.map((s) => {
      const lag = s.lagMs[sink];
      return [s.t / 1000, lag === null || lag === undefined ? null : lag / 1000] as const;
    }),
  }));
}

/** Fault windows in seconds since the run started; a fault still active at the end runs to the end. */
export function faultWindows(run: ScenarioRun): ChartWindow[] {
  const end = Math.max(run.durationMs, run.timeline[run.timeline.length - 1]?.t ?? 0) / 1000;
  return run.faults.map((f: FaultEvent) => {
    const from = Math.max(0, (f.at - run.startedAt) / 1000);
    return { from, to: f.until === null ? end : Math.max(from, (f.until - run.startedAt) / 1000), label: `${f.kind} ${f.target}` };
  });
}

/** The engine's RSS, heap used and live heap over a soak, in MB (heap points only where sampled). */
export function memorySeries(run: ScenarioRun): ChartSeries[] {
  const m = run.engineMemory ?? [];
  return [
    { name: 'engine RSS', color: PALETTE[0]!, points: m.map((x) => [x.t / 1000, x.rssMb] as const) },
    { name: 'engine heap used', color: PALETTE[1]!, points: m.filter((x) => x.heapMb !== null).map((x) => [x.t / 1000, x.heapMb] as const) },
    { name: 'live heap (after full GC)', color: PALETTE[2]!, points: m.filter((x) => x.liveMb != null).map((x) => [x.t / 1000, x.liveMb!] as const) },
  ];
}
