import type { ErrorKind } from '../errors/index.js';
import { NOOP_PROCESSOR_METRICS, type PipelineMetrics, type SinkMetrics, type SourceMetrics } from './hooks.js';

/** What happened in one pipeline since the previous window was taken: the periodic log summary. */
export interface ActivityWindow {
  readonly seconds: number;
  readonly batches: number;
  readonly events: number;
  readonly bytes: number;
  /** Newest source lag reported in the window, or null when the source reported none. */
  readonly lagSeconds: number | null;
  readonly sinks: ReadonlyArray<{ readonly id: string; readonly batches: number; readonly errors: number; readonly p50Ms: number | null; readonly p95Ms: number | null; readonly p99Ms: number | null }>;
}

/** Totals since the pipeline was created, for the API's `ops` block. */
export interface ActivityTotals {
  readonly lagSeconds: number | null;
  readonly sinkErrors: Readonly<Record<string, number>>;
  readonly sinkEvents: Readonly<Record<string, number>>;
}

const MAX_SAMPLES = 1024;

class SinkActivity {
  batches = 0;
  errors = 0;
  totalErrors = 0;
  totalEvents = 0;
  samples: number[] = [];
  private seen = 0;

  latency(seconds: number): void {
    // Reservoir sampling keeps percentiles honest without unbounded memory on busy sinks.
    this.seen++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(seconds);
    else {
      const i = Math.floor(Math.random() * this.seen);
      if (i < MAX_SAMPLES) this.samples[i] = seconds;
    }
  }

  reset(): void {
    this.batches = 0;
    this.errors = 0;
    this.samples = [];
    this.seen = 0;
  }
}

/**
 * In-process view of a pipeline's activity, fed by the same per-batch hooks as Prometheus.
 * Survives restarts of the pipeline (one instance per pipeline, not per run).
 */
export class PipelineActivity {
  private windowStart: number;
  private batches = 0;
  private events = 0;
  private bytes = 0;
  private lag: number | null = null;
  private readonly sinkActivity = new Map<string, SinkActivity>();
  readonly metrics: PipelineMetrics;

  constructor(private readonly now: () => number = Date.now) {
    this.windowStart = now();
    const source: SourceMetrics = { events: () => {}, bytes: () => {}, reconnected: () => {}, lag: (s) => (this.lag = s) };
    this.metrics = {
      source: () => source,
      sink: (id) => this.sinkHooks(id),
      processor: () => NOOP_PROCESSOR_METRICS,
      coordinator: {
        batchSealed: (events, bytes) => {
          this.batches++;
          this.events += events;
          this.bytes += bytes;
        },
        stage: () => {},
        checkpointSaved: () => {},
        endToEnd: () => {},
        queueDepth: () => {},
        poisoned: () => {},
      },
    };
  }

  totals(): ActivityTotals {
    const sinkErrors: Record<string, number> = {};
    const sinkEvents: Record<string, number> = {};
    for (const [id, s] of this.sinkActivity) {
      sinkErrors[id] = s.totalErrors;
      sinkEvents[id] = s.totalEvents;
    }
    return { lagSeconds: this.lag, sinkErrors, sinkEvents };
  }

  /** Returns the current window and starts a new one. */
  takeWindow(): ActivityWindow {
    const now = this.now();
    const window: ActivityWindow = {
      seconds: Math.max(0, (now - this.windowStart) / 1000),
      batches: this.batches,
      events: this.events,
      bytes: this.bytes,
      lagSeconds: this.lag,
      sinks: [...this.sinkActivity].map(([id, s]) => {
        const sorted = [...s.samples].sort((a, b) => a - b);
        return { id, batches: s.batches, errors: s.errors, p50Ms: toMs(percentile(sorted, 0.5)), p95Ms: toMs(percentile(sorted, 0.95)), p99Ms: toMs(percentile(sorted, 0.99)) };
      }),
    };
    this.windowStart = now;
    this.batches = 0;
    this.events = 0;
    this.bytes = 0;
    for (const s of this.sinkActivity.values()) s.reset();
    return window;
  }

  private sinkHooks(id: string): SinkMetrics {
    let s = this.sinkActivity.get(id);
    if (!s) this.sinkActivity.set(id, (s = new SinkActivity()));
    const sink = s;
    return {
      delivered: (events, _bytes, seconds) => {
        sink.batches++;
        sink.totalEvents += events;
        sink.latency(seconds);
      },
      failed: (_kind: ErrorKind) => {
        sink.errors++;
        sink.totalErrors++;
      },
      txnCommitted: () => {},
      txnAborted: () => {},
    };
  }
}

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

function toMs(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 100_000) / 100;
}
