/** Benchmark results are printed as one table row per case and as JSON for CI logs. */
export interface BenchResult {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly notes?: string;
}

export function eventsPerSecond(r: BenchResult): number {
  return r.events / r.seconds;
}

export function printResults(results: readonly BenchResult[]): void {
  for (const r of results) {
    console.log(`${r.name.padEnd(44)} ${Math.round(eventsPerSecond(r)).toLocaleString('en-US').padStart(12)} events/s  ${r.events.toLocaleString('en-US')} events in ${r.seconds.toFixed(2)} s  peak RSS ${r.peakRssMb.toFixed(0)} MB${r.notes ? `  (${r.notes})` : ''}`);
  }
  console.log(JSON.stringify({ results: results.map((r) => ({ ...r, eventsPerSecond: Math.round(eventsPerSecond(r)) })) }));
}

/** Samples RSS every 50 ms while `fn` runs; returns the peak in MB with the result. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
