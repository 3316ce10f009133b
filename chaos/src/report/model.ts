import { overallValidity } from '../checkers/checker.js';
import type { FaultEvent, Verdict } from '../history/index.js';

/** One sample of a run's progress, taken by the runner every second or so. */
export interface TimelineSample {
  /** ms since the run started (`ScenarioRun.startedAt`). */
  readonly t: number;
  /** Row versions the workload had written and seen acknowledged so far. */
  readonly written: number;
  /** Records each sink held so far, by sink name. */
  readonly delivered: Readonly<Record<string, number>>;
  /** Source commit to sink arrival, per sink, in ms; null when unknown at that instant. */
  readonly lagMs: Readonly<Record<string, number | null>>;
  /** What the engine was doing: running, starting, down, failed... */
  readonly engine: string;
}

/** One scenario run for one source family. */
export interface ScenarioRun {
  readonly scenario: string;
  readonly description?: string;
  readonly source: 'mysql' | 'postgres';
  readonly seed?: number;
  /** ms since the Unix epoch. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Where the time went: setup, workload, catch-up, read, check. */
  readonly phases?: readonly { readonly name: string; readonly ms: number }[];
  readonly sinks: readonly string[];
  readonly verdicts: readonly Verdict[];
  /** Faults with their windows (ms since the Unix epoch, like startedAt). */
  readonly faults: readonly FaultEvent[];
  readonly timeline: readonly TimelineSample[];
  /** A harness failure that kept the run from being judged (setup failed, a reader threw). */
  readonly error?: string;
  /** The scenario as YAML, for re-running a generated or shrunk schedule. */
  readonly scenarioYaml?: string;
  /** What judging cost: records judged, versions, the checkers' memory (docs/checkers.md, "Scale"). */
  readonly checks?: CheckCost;
  /** Figures besides the verdicts: events/s, latency percentiles per sink, engine RSS and CPU (name → number). */
  readonly measurements?: Readonly<Record<string, number>>;
  /** A soak's periodic checks: what was already wrong at each (empty verdicts: nothing). */
  readonly interim?: readonly InterimCheckReport[];
  /** The engine's memory over the run (soaks), t in ms since startedAt. */
  readonly engineMemory?: readonly { readonly t: number; readonly rssMb: number; readonly heapMb: number | null; readonly liveMb?: number | null; readonly pid: number }[];
}

export interface InterimCheckReport {
  /** Seconds since the run started. */
  readonly t: number;
  readonly records: number;
  readonly verdicts: readonly Verdict[];
  readonly behind: Readonly<Record<string, number>>;
}

export interface CheckCost {
  readonly records: number;
  readonly versions: number;
  /** Bytes of the compact source log held in memory. */
  readonly sourceBytes: number;
  /** Bytes of the version index and every sink pass's state. */
  readonly checkerBytes: number;
  /** Fingerprint mismatches that the stored images showed equal. */
  readonly slowPathEqual: number;
  /** Seconds spent feeding records to the checkers and asking for verdicts. */
  readonly seconds: number;
}

export interface RunReport {
  readonly title?: string;
  /** ms since the Unix epoch. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly seed?: number;
  /** The command line that produced the report. */
  readonly command?: string;
  readonly runs: readonly ScenarioRun[];
}

/** A run passes when it was judged (no harness error, at least one verdict) and every verdict is valid. */
export function runPassed(run: ScenarioRun): boolean {
  return run.error === undefined && run.verdicts.length > 0 && overallValidity(run.verdicts) === 'valid';
}

export function summarize(report: RunReport): { passed: number; failed: number } {
  const passed = report.runs.filter(runPassed).length;
  return { passed, failed: report.runs.length - passed };
}

/** The last line the CLI prints: `N passed, M failed` (one count per scenario × source run). */
export function summaryLine(report: RunReport): string {
  const { passed, failed } = summarize(report);
  return `${passed} passed, ${failed} failed`;
}

/** `network-partition (mysql)`: how a run is named in every report. */
export function runTitle(run: ScenarioRun): string {
  return `${run.scenario} (${run.source})`;
}
