import { readFileSync } from 'node:fs';
import type { EngineProcess } from '../../engine/engine-process.js';
import { processStartTime } from '../../infra/process/pid-status.js';
import { scrape } from '../engine-metrics.js';
import { buckets, histogramQuantile, select } from '../prom-text.js';
import type { DrainFigures } from '../protocol.js';

interface ProcessTrace {
  readonly pid: number;
  readonly startedAt: number;
  peakRssKb: number;
  delivered: number;
  lastDeliveryAt: number;
  sourceEvents: number;
  p99Ms: number | null;
}

/** Peak resident set (VmHWM) of a process, in kB; 0 when it is gone. */
export function peakRssKb(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** When a process started, ms since the Unix epoch (kernel start time + boot time). */
function startedAtMs(pid: number): number {
  const ticks = processStartTime(pid);
  const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  // Linux reports start times in USER_HZ, which is 100 on every platform Node runs on.
  return ticks === undefined || !btime ? Date.now() : Number(btime[1]) * 1000 + (ticks / 100) * 1000;
}

/**
 * Watches a scenario run's engine for the config lab's A/B: for each engine process, its peak RSS
 * and, from its own metrics, the events it delivered and its batch latency. The figures are
 * those of the process that drained the backlog (the last one that delivered anything):
 * events/s = what it delivered to its slowest sink ÷ (last delivery − process start).
 */
export class DrainWatch {
  private readonly traces = new Map<number, ProcessTrace>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly engine: EngineProcess, private readonly pipelinePrefix: string, private readonly everyMs = 500) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    const pid = this.engine.pid;
    if (pid === undefined || this.busy) return;
    this.busy = true;
    try {
      let trace = this.traces.get(pid);
      if (!trace) {
        trace = { pid, startedAt: startedAtMs(pid), peakRssKb: 0, delivered: 0, lastDeliveryAt: 0, sourceEvents: 0, p99Ms: null };
        this.traces.set(pid, trace);
      }
      trace.peakRssKb = Math.max(trace.peakRssKb, peakRssKb(pid));
      const samples = await scrape(this.engine.metricsUrl);
      if (!samples) return;
      const ours = (name: string) => select(samples, name).filter((s) => (s.labels.pipeline ?? '').startsWith(this.pipelinePrefix));
      const bySink = new Map<string, number>();
      for (const s of ours('tidemark_sink_events_total')) bySink.set(s.labels.sink ?? '?', (bySink.get(s.labels.sink ?? '?') ?? 0) + s.value);
      const slowest = bySink.size > 0 ? Math.min(...bySink.values()) : 0;
      if (slowest > trace.delivered) {
        trace.delivered = slowest;
        trace.lastDeliveryAt = Date.now();
      }
      trace.sourceEvents = ours('tidemark_source_events_total').reduce((n, s) => n + s.value, 0);
      const pipeline = ours('tidemark_stage_latency_seconds_bucket')[0]?.labels.pipeline;
      if (pipeline) {
        const q = histogramQuantile(0.99, buckets(samples, 'tidemark_stage_latency_seconds', { pipeline, stage: 'deliver' }));
        trace.p99Ms = q === null ? null : q * 1000;
      }
    } finally {
      this.busy = false;
    }
  }

  figures(): DrainFigures {
    const drained = [...this.traces.values()].filter((t) => t.delivered > 0).at(-1);
    const peak = Math.max(0, ...[...this.traces.values()].map((t) => t.peakRssKb));
    if (!drained) return { eventsPerSec: null, p99BatchMs: null, peakRssMb: peak > 0 ? peak / 1024 : null, events: null };
    const seconds = (drained.lastDeliveryAt - drained.startedAt) / 1000;
    return {
      eventsPerSec: seconds > 0 ? drained.delivered / seconds : null,
      p99BatchMs: drained.p99Ms,
      peakRssMb: drained.peakRssKb > 0 ? drained.peakRssKb / 1024 : null,
      events: drained.delivered,
    };
  }
}
