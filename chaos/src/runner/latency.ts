/** Percentiles of end-to-end latency in ms (source commit to sink arrival). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

// Buckets grow by 2%: a percentile is reported within 2% of the true value, in constant memory.
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 1200; // up to 1.02^1200 ms ≈ 2e10 ms

/** A log-bucketed histogram (HdrHistogram's idea, simply): millions of samples in 10 kB. */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  private sum = 0;
  private maxMs = 0;

  add(ms: number): void {
    const v = Math.max(0, ms);
    this.counts[bucketOf(v)]!++;
    this.count++;
    this.sum += v;
    if (v > this.maxMs) this.maxMs = v;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return Math.min(this.maxMs, upperBound(b));
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return { count: this.count, p50: round(this.percentile(50)), p99: round(this.percentile(99)), max: round(this.maxMs), mean: round(this.count ? this.sum / this.count : 0) };
  }
}

function bucketOf(ms: number): number {
  if (ms < 1) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / LOG_GROWTH));
}

function upperBound(bucket: number): number {
  return bucket === 0 ? 1 : GROWTH ** bucket;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
