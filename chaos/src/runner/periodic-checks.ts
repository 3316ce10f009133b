import type { RunFacts } from '../checkers/index.js';
import type { RunState } from './run-state.js';

/** Checkers whose verdict on the records read so far is already final (nothing later can make it valid). */
const DEFINITIVE = ['phantom', 'duplicated', 'reordered', 'torn-transaction'];

/**
 * A soak's periodic checks: every `everyS` seconds, read what the sinks received since the last
 * check, judge it, and report at once any verdict already broken (a phantom, a duplicate on an
 * exactly-once sink, a reorder, a torn transaction), plus, as a warning, acknowledged versions
 * still missing after a grace period. So a 2-hour soak that breaks at minute 10 says so at 11.
 */
export class PeriodicChecks {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Versions committed longer ago than this and still missing count as behind. */
  private readonly graceMs: number;
  private reported = new Set<string>();

  constructor(
    private readonly s: RunState,
    private readonly everyS: number,
  ) {
    this.graceMs = Math.max(120_000, 2 * everyS * 1000);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.check().finally(() => (this.running = null));
    }, this.everyS * 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async check(): Promise<void> {
    const { judge, prepared, progress } = this.s;
    if (!judge || !prepared) return;
    try {
      await judge.poll();
    } catch (e) {
      progress.log(`check: reading the sinks failed (${e instanceof Error ? e.message : String(e)}); the next check tries again`);
      return;
    }
    const now = Date.now();
    const verdicts = judge.interim(interimFacts(now), this.s.nemesis?.events ?? [], DEFINITIVE).filter((v) => v.validity !== 'valid');
    const behind: Record<string, number> = {};
    for (const sink of prepared.sinks) {
      const missing = judge.missingBefore(sink.name, now - this.graceMs).length;
      if (missing > 0) behind[sink.name] = missing;
    }
    const t = Math.round((now - this.s.startedAt) / 1000);
    this.s.interim.push({ t, records: judge.cost().records, verdicts, behind });
    const minute = `${Math.floor(t / 60)} min ${t % 60} s`;
    for (const v of verdicts) {
      const line = `${v.checker}${v.sink ? ` [${v.sink}]` : ''}: ${v.summary}`;
      if (this.reported.has(line)) continue;
      this.reported.add(line);
      progress.log(`check at ${minute}: INVALID ${line}${v.examples[0] ? `; e.g. ${JSON.stringify(v.examples[0])}` : ''}`);
    }
    const late = Object.entries(behind).map(([name, n]) => `${name} ${n}`);
    progress.log(`check at ${minute}: ${judge.cost().records.toLocaleString('en-US')} records judged, ${verdicts.length === 0 ? 'no violation' : `${verdicts.length} violations`}${late.length > 0 ? `; behind by more than ${this.graceMs / 1000} s: ${late.join(', ')}` : ''}`);
  }
}

/** Interim checkers judge records alone; these facts only fill the shape. */
function interimFacts(now: number): RunFacts {
  return { workloadStartedAt: 0, workloadEndedAt: now, catchUpFrom: now, deadlineMs: 0, checkedAt: now, engine: { health: null, pipelines: [] }, sinks: {} };
}
