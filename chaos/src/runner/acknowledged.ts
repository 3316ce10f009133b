import type { SourceHistory, SourceTxn } from '../history/index.js';

/** A txn the source acknowledged: ok, or indeterminate but found committed afterwards. */
export function acknowledged(t: SourceTxn): boolean {
  return t.outcome === 'ok' || (t.outcome === 'info' && t.resolution === 'committed');
}

/** Commit instants of every acknowledged row version, ascending: the n-th is when a sink holding n versions was current. */
export function commitTimeline(history: SourceHistory): number[] {
  const times: number[] = [];
  for (const t of history.txns) if (acknowledged(t)) for (let i = 0; i < t.versions.length; i++) times.push(t.completedAt);
  return times.sort((a, b) => a - b);
}

/**
 * How far behind a sink holding `delivered` records is, estimated from counts: the age of the
 * oldest acknowledged version it cannot hold yet. Duplicates make it optimistic; it feeds the
 * timeline chart and progress line, never a verdict.
 */
export function estimatedLagMs(timeline: ArrayLike<number>, delivered: number, now: number): number {
  if (delivered >= timeline.length) return 0;
  return Math.max(0, now - timeline[Math.max(0, delivered)]!);
}
