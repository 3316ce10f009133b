import { bucketDelta, buckets, histogramQuantile, parsePromText, select, total, type PromSample } from './prom-text.js';

/** Fetches the engine's /metrics; null when it does not answer (killed, restarting). */
export async function scrape(metricsUrl: string, timeoutMs = 2_000): Promise<PromSample[] | null> {
  try {
    const res = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    return parsePromText(await res.text());
  } catch {
    return null;
  }
}

export interface IntervalFigures {
  readonly eventsPerSec: Record<string, number>;
  readonly batchP50Ms: number | null;
  readonly batchP99Ms: number | null;
  readonly rssMb: number | null;
}

interface Reading {
  readonly at: number;
  readonly sinks: Record<string, number>;
  readonly deliver: Map<number, number>;
}

/**
 * The engine's throughput and batch latency over the last interval, from its own counters and
 * histograms (tidemark_sink_events_total, tidemark_stage_latency_seconds{stage="deliver"}). A
 * restarted engine starts its counters at 0: a drop is taken as a new baseline, not a rate.
 */
export class EngineMetricsProbe {
  private previous: Reading | null = null;

  constructor(
    private readonly metricsUrl: () => string,
    private readonly pipeline: string,
  ) {}

  async read(): Promise<IntervalFigures> {
    const samples = await scrape(this.metricsUrl());
    if (!samples) {
      this.previous = null;
      return { eventsPerSec: {}, batchP50Ms: null, batchP99Ms: null, rssMb: null };
    }
    const at = Date.now();
    const sinks: Record<string, number> = {};
    for (const s of select(samples, 'tidemark_sink_events_total', { pipeline: this.pipeline })) sinks[s.labels.sink ?? '?'] = (sinks[s.labels.sink ?? '?'] ?? 0) + s.value;
    const deliver = buckets(samples, 'tidemark_stage_latency_seconds', { pipeline: this.pipeline, stage: 'deliver' });
    const rss = total(samples, 'tidemark_process_resident_memory_bytes');
    const before = this.previous;
    this.previous = { at, sinks, deliver };
    const restarted = !before || Object.entries(sinks).some(([k, n]) => n < (before.sinks[k] ?? 0));
    const seconds = before ? (at - before.at) / 1000 : 0;
    const eventsPerSec: Record<string, number> = {};
    if (!restarted && seconds > 0) for (const [k, n] of Object.entries(sinks)) eventsPerSec[k] = (n - (before.sinks[k] ?? 0)) / seconds;
    const window = restarted ? deliver : bucketDelta(deliver, before?.deliver);
    const ms = (q: number) => {
      const v = histogramQuantile(q, window);
      return v === null ? null : v * 1000;
    };
    return { eventsPerSec, batchP50Ms: ms(0.5), batchP99Ms: ms(0.99), rssMb: rss > 0 ? rss / 1_048_576 : null };
  }
}
