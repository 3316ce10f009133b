/**
 * Just enough of the Prometheus text exposition format to chart the engine's own metrics:
 * `name{label="value",...} number` lines, comments skipped. (parse-prometheus-text-format was
 * tried first: it drops the labels of histogram series, which are exactly what is needed here.)
 */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePromText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** The samples of one metric whose labels include `match`. */
export function select(samples: readonly PromSample[], name: string, match: Readonly<Record<string, string>> = {}): PromSample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** Cumulative histogram buckets (`le` → count) of one series, summed over the other labels. */
export function buckets(samples: readonly PromSample[], name: string, match: Readonly<Record<string, string>> = {}): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of select(samples, `${name}_bucket`, match)) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    out.set(le, (out.get(le) ?? 0) + s.value);
  }
  return out;
}

/** Bucket counts of `now` minus `before` (what was observed in between). */
export function bucketDelta(now: ReadonlyMap<number, number>, before: ReadonlyMap<number, number> | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const [le, n] of now) out.set(le, Math.max(0, n - (before?.get(le) ?? 0)));
  return out;
}

/**
 * Prometheus' histogram_quantile: linear interpolation inside the bucket holding the quantile;
 * null when nothing was observed. A quantile in the +Inf bucket returns the highest finite bound.
 */
export function histogramQuantile(q: number, cumulative: ReadonlyMap<number, number>): number | null {
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  const total = cumulative.get(Infinity) ?? cumulative.get(bounds.at(-1)!) ?? 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const le of bounds) {
    const count = cumulative.get(le)!;
    if (count >= rank) {
      if (le === Infinity) return lowerBound;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / Math.max(count - lowerCount, 1e-12);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}

/** Sum of a counter or gauge over the series matching `match`. */
export function total(samples: readonly PromSample[], name: string, match: Readonly<Record<string, string>> = {}): number {
  return select(samples, name, match).reduce((sum, s) => sum + s.value, 0);
}
