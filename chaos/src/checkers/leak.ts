import type { Verdict } from '../history/index.js';
import type { CheckerDef } from './checker.js';
import { checkerOf } from './judge.js';
import type { EngineMemoryFacts, EngineMemorySample } from './run-facts.js';

/** Below this growth over the judged span, a slope is noise (batches in flight at a collection), whatever it says per hour. */
const MIN_GROWTH_MB = 24;
/** Samples right after a (re)start are the process warming up again, not a leak. */
const RESTART_WARMUP_MS = 60_000;
/** Full collections a process needs in its judged span before its live heap has a trend. */
const MIN_COLLECTIONS = 3;

/**
 * The engine's live memory does not grow. The live heap is what a full (mark-compact) collection
 * leaves: `heap_size_used` between full collections also counts old garbage, which can climb for
 * minutes and once failed a healthy short soak at 1,180 MB/h. After the warm-up share of the run,
 * each engine process's live-heap points (one per full collection it ran) are fitted with a
 * least-squares line, the slope weighted by how long each process was judged; the verdict is
 * invalid when it rises faster than `maxMbPerHour` and by more than 24 MB over the judged span.
 * A restart resets the heap, so each process is judged on its own, after its own warm-up. Too
 * few full collections leave the verdict unknown, not valid. RSS is reported alongside.
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
  if (!m.samples.some((s) => s.liveMb !== null)) return unknown('no live-heap samples (the engine metrics did not answer, or the engine exports no tidemark_heap_live_bytes)');
  const start = m.samples[0]!.t;
  const end = m.samples.at(-1)!.t;
  const judgedFrom = start + (end - start) * m.warmup;
  const fits: { slope: number; span: number; points: number }[] = [];
  const rss: { slope: number; span: number }[] = [];
  let collections = 0;
  for (const pid of new Set(m.samples.map((s) => s.pid))) {
    const mine = m.samples.filter((s) => s.pid === pid);
    const from = Math.max(judgedFrom, mine[0]!.t + (pid === m.samples[0]!.pid ? 0 : RESTART_WARMUP_MS));
    const live = liveHeapPoints(mine, from);
    collections += live.length;
    if (live.length < MIN_COLLECTIONS) continue;
    fits.push({ slope: slopePerHour(live), span: live.at(-1)!.t - live[0]!.t, points: live.length });
    const r = mine.filter((s) => s.t >= from).map((s) => ({ t: s.t, mb: s.rssMb }));
    if (r.length >= 4) rss.push({ slope: slopePerHour(r), span: r.at(-1)!.t - r[0]!.t });
  }
  const spanMs = fits.reduce((n, f) => n + f.span, 0);
  if (fits.length === 0 || spanMs < 30_000) {
    return unknown(`too few full garbage collections to see the live heap: ${collections} after warm-up, over ${Math.round(spanMs / 1000)} s (a process needs ${MIN_COLLECTIONS}); run longer`);
  }
  const slope = fits.reduce((n, f) => n + f.slope * f.span, 0) / spanMs;
  const rssSlope = rss.length > 0 ? rss.reduce((n, f) => n + f.slope * f.span, 0) / Math.max(1, rss.reduce((n, f) => n + f.span, 0)) : 0;
  const growth = (slope * spanMs) / 3_600_000;
  const leaking = slope > m.maxMbPerHour && growth > MIN_GROWTH_MB;
  const counts = { heapMbPerHour: round(slope), rssMbPerHour: round(rssSlope), judgedSeconds: Math.round(spanMs / 1000), growthMb: round(growth), fullCollections: collections, processes: fits.length, thresholdMbPerHour: m.maxMbPerHour };
  const summary = leaking
    ? `live heap grows ${round(slope)} MB/h (${round(growth)} MB over ${Math.round(spanMs / 1000)} s judged, ${collections} full collections), over the ${m.maxMbPerHour} MB/h allowed`
    : `no leak: live heap ${round(slope)} MB/h over ${Math.round(spanMs / 1000)} s after warm-up (${collections} full collections; allowed ${m.maxMbPerHour} MB/h), RSS ${round(rssSlope)} MB/h`;
  return { checker: 'leak', validity: leaking ? 'invalid' : 'valid', summary, counts, examples: leaking ? fits.map((f, i) => ({ process: i + 1, heapMbPerHour: round(f.slope), judgedSeconds: Math.round(f.span / 1000), fullCollections: f.points })) : [] };
}

/**
 * One point per sample that saw a new full collection of this process (at or after `from`): the
 * live heap that collection left. Several collections between two samples give one point, the latest.
 */
function liveHeapPoints(samples: readonly EngineMemorySample[], from: number): Point[] {
  const out: Point[] = [];
  let seen: number | null = null;
  for (const s of samples) {
    if (s.fullCollections === null || s.liveMb === null) continue;
    if (seen !== null && s.fullCollections > seen && s.t >= from) out.push({ t: s.t, mb: s.liveMb });
    seen = s.fullCollections;
  }
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
