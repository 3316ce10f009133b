import type { Verdict } from '../history/index.js';
import type { CheckerDef } from './checker.js';
import { checkerOf } from './judge.js';
import type { EngineMemoryFacts } from './run-facts.js';

/** Below this growth over the judged span, a slope is noise (GC timing), whatever it says per hour. */
const MIN_GROWTH_MB = 24;
/** Samples right after a (re)start are the process warming up again, not a leak. */
const RESTART_WARMUP_MS = 60_000;

/**
 * The engine's live memory does not grow: after the warm-up share of the run, the minimum heap
 * of each window (what survives garbage collection) is fitted with a least-squares line; the
 * verdict is invalid when it rises faster than `maxMbPerHour` and by more than 24 MB over the
 * judged span. Each engine process is judged on its own samples (a restart resets the heap), the
 * slope weighted by how long each process was judged. RSS is reported alongside.
 */
export const leakDef: CheckerDef = {
  name: 'leak',
  verdicts(ctx) {
    const m = ctx.facts.engineMemory;
    if (!m) return [{ checker: 'leak', validity: 'unknown', summary: 'the run sampled no engine memory (only soaks do)', counts: {}, examples: [] }];
    return [judge(m)];
  },
};

export const leakChecker = checkerOf('leak', [leakDef]);

interface Point {
  readonly t: number;
  readonly mb: number;
}

function judge(m: EngineMemoryFacts): Verdict {
  const all = m.samples.filter((s) => s.heapMb !== null);
  if (all.length === 0) return unknown('no heap samples (the engine metrics did not answer)');
  const start = m.samples[0]!.t;
  const end = m.samples.at(-1)!.t;
  const judgedFrom = start + (end - start) * m.warmup;
  const window = Math.max(10_000, (end - judgedFrom) / 30);
  const fits: { slope: number; span: number; points: number }[] = [];
  const rss: { slope: number; span: number }[] = [];
  for (const pid of new Set(all.map((s) => s.pid))) {
    const mine = all.filter((s) => s.pid === pid);
    const from = Math.max(judgedFrom, mine[0]!.t + (pid === all[0]!.pid ? 0 : RESTART_WARMUP_MS));
    const judged = mine.filter((s) => s.t >= from);
    const heap = windowMinima(judged.map((s) => ({ t: s.t, mb: s.heapMb! })), window);
    if (heap.length < 4) continue;
    const span = heap.at(-1)!.t - heap[0]!.t;
    fits.push({ slope: slopePerHour(heap), span, points: heap.length });
    const r = m.samples.filter((s) => s.pid === pid && s.t >= from).map((s) => ({ t: s.t, mb: s.rssMb }));
    if (r.length >= 4) rss.push({ slope: slopePerHour(windowMinima(r, window)), span: r.at(-1)!.t - r[0]!.t });
  }
  const spanMs = fits.reduce((n, f) => n + f.span, 0);
  if (fits.length === 0 || spanMs < 30_000) return unknown(`too little judged memory data (${Math.round(spanMs / 1000)} s after warm-up across ${fits.length} engine processes)`);
  const slope = fits.reduce((n, f) => n + f.slope * f.span, 0) / spanMs;
  const rssSlope = rss.length > 0 ? rss.reduce((n, f) => n + f.slope * f.span, 0) / Math.max(1, rss.reduce((n, f) => n + f.span, 0)) : 0;
  const growth = (slope * spanMs) / 3_600_000;
  const leaking = slope > m.maxMbPerHour && growth > MIN_GROWTH_MB;
  const counts = { heapMbPerHour: round(slope), rssMbPerHour: round(rssSlope), judgedSeconds: Math.round(spanMs / 1000), growthMb: round(growth), processes: fits.length, thresholdMbPerHour: m.maxMbPerHour };
  const summary = leaking
    ? `live heap grows ${round(slope)} MB/h (${round(growth)} MB over ${Math.round(spanMs / 1000)} s judged), over the ${m.maxMbPerHour} MB/h allowed`
    : `no leak: live heap ${round(slope)} MB/h over ${Math.round(spanMs / 1000)} s after warm-up (allowed ${m.maxMbPerHour} MB/h), RSS ${round(rssSlope)} MB/h`;
  return { checker: 'leak', validity: leaking ? 'invalid' : 'valid', summary, counts, examples: leaking ? fits.map((f, i) => ({ process: i + 1, heapMbPerHour: round(f.slope), judgedSeconds: Math.round(f.span / 1000), windows: f.points })) : [] };
}

/** The smallest value in each window of `ms`, at the window's middle: the heap after collection. */
function windowMinima(points: readonly Point[], ms: number): Point[] {
  if (points.length === 0) return [];
  const out: Point[] = [];
  const t0 = points[0]!.t;
  let current: Point[] = [];
  let index = 0;
  for (const p of points) {
    const w = Math.floor((p.t - t0) / ms);
    if (w !== index && current.length > 0) {
      out.push({ t: t0 + (index + 0.5) * ms, mb: Math.min(...current.map((x) => x.mb)) });
      current = [];
    }
    index = w;
    current.push(p);
  }
  if (current.length > 0) out.push({ t: t0 + (index + 0.5) * ms, mb: Math.min(...current.map((x) => x.mb)) });
  return out;
}

/** Least-squares slope in MB per hour. */
export function slopePerHour(points: readonly Point[]): number {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mm = points.reduce((a, p) => a + p.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.mb - mm);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 3_600_000;
}

function unknown(why: string): Verdict {
  return { checker: 'leak', validity: 'unknown', summary: why, counts: {}, examples: [] };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
