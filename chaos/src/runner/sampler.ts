import type { EngineProcess } from '../engine/engine-process.js';
import type { TimelineSample } from '../report/index.js';
import type { SourceLog } from '../history/index.js';
import { estimatedLagMs } from './acknowledged.js';
import type { SinkIo } from '../readers/index.js';

export interface SamplerOptions {
  readonly sinks: readonly SinkIo[];
  /** Records each sink held after the warm-up; not the workload's. */
  readonly baseline: Readonly<Record<string, number>>;
  /** The history being recorded (null before the workload starts). */
  readonly log: () => SourceLog | null;
  readonly engine: EngineProcess;
  readonly pipeline: string;
  /** ScenarioRun.startedAt: sample times are relative to it. */
  readonly startedAt: number;
  readonly onSample?: (sample: TimelineSample) => void;
}

/**
 * Every ~second: what was written, what each sink holds (cheap counts: Kafka offsets, XLEN,
 * JetStream state, receiver log), the estimated lag, and the engine's state. For the report's
 * timeline and the live progress line; verdicts never rest on these counts.
 */
export class Sampler {
  readonly samples: TimelineSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly options: SamplerOptions) {}

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => void this.tick(), intervalMs);
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get latest(): TimelineSample | undefined {
    return this.samples.at(-1);
  }

  /** One sample now (also used between phases); skipped while the previous one still runs. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const log = this.options.log();
      // Commit instants of acknowledged versions, in arrival order (ascending but for late resolutions).
      const timeline = log ? log.ackTimes.view() : new Float64Array(0);
      const delivered: Record<string, number> = {};
      const lagMs: Record<string, number | null> = {};
      await Promise.all(
        this.options.sinks.map(async (s) => {
          const n = await s.count().catch(() => null);
          if (n === null) {
            lagMs[s.name] = null;
            return;
          }
          delivered[s.name] = Math.max(0, n - (this.options.baseline[s.name] ?? 0));
          lagMs[s.name] = log ? estimatedLagMs(timeline, delivered[s.name]!, now) : null;
        }),
      );
      const sample: TimelineSample = { t: now - this.options.startedAt, written: timeline.length, delivered, lagMs, engine: await this.engineState() };
      this.samples.push(sample);
      this.options.onSample?.(sample);
    } finally {
      this.busy = false;
    }
  }

  private async engineState(): Promise<string> {
    if (!this.options.engine.running) return 'down';
    try {
      return (await this.options.engine.api.getPipeline(this.options.pipeline)).status;
    } catch {
      return 'unreachable';
    }
  }
}
