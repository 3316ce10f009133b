/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks over [0, max]. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  return (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
}

/** Tick values 0, step, 2·step… up to the first one at or above `max`. */
export function ticks(max: number, count = 5): number[] {
  const step = niceStep(max, count);
  const out: number[] = [];
  for (let v = 0; out.length < 50; v += step) {
    out.push(Number(v.toPrecision(12)));
    if (v >= max) break;
  }
  return out;
}

/** Compact tick labels: 1500 → 1.5k, 2000000 → 2M. */
export function formatTick(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

function trim(v: number): string {
  return String(Number(v.toFixed(2)));
}
