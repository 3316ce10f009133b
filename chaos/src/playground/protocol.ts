/**
 * What the playground server and its page say to each other: the state the server holds (the
 * page only mirrors it, so two tabs agree and a closed tab loses nothing) and the Server-Sent
 * Events that keep every tab's copy current. Types only; shared by the server and web/.
 *
 * Key names avoid words the secret redactor masks (pass, token, secret…): every message goes
 * through the engine's `redact` on its way out.
 */
import type { ChartSeries, ChartWindow, TimelineSample } from '../report/index.js';
import type { Verdict } from '../history/index.js';

export type SourceFamily = 'mysql' | 'postgres';
export type ServiceHealthState = 'healthy' | 'proxy down' | 'down' | 'stopped' | 'checking';

export interface ProxyView {
  readonly enabled: boolean;
  readonly toxics: readonly { readonly name: string; readonly type: string; readonly stream: string; readonly toxicity: number; readonly attributes: unknown }[];
}

export interface ServiceView {
  readonly name: string;
  readonly kind: string;
  /** primary / replica (databases) or server (brokers, Toxiproxy). */
  readonly role: string;
  readonly replicaOf?: string;
  readonly pid: number | null;
  readonly health: ServiceHealthState;
  readonly detail?: string;
  readonly direct: string;
  readonly proxied: string;
  readonly proxy: ProxyView | null;
  /** False when the servers belong to `infra up` (attached): they cannot be started from here. */
  readonly controllable: boolean;
}

export interface EngineView {
  readonly id: string;
  readonly label: string;
  readonly pid: number | null;
  readonly running: boolean;
  /** HTTP status of GET /health, null when it does not answer. */
  readonly health: number | null;
  readonly pipelines: readonly { readonly name: string; readonly status: string }[];
}

export type FaultOrigin = 'manual' | 'preset' | 'scenario' | 'service';

export interface FaultView {
  readonly id: number | null;
  readonly kind: string;
  readonly target: string;
  readonly at: number;
  readonly until: number | null;
  readonly detail?: Readonly<Record<string, unknown>>;
  readonly origin: FaultOrigin;
  readonly error?: string;
}

/** One second of the live pipeline: the runner's sample plus the engine's own metrics. */
export interface LiveSample extends Omit<TimelineSample, 't'> {
  /** ms since the Unix epoch (a run's timeline counts from its start instead). */
  readonly t: number;
  /** Events per second each sink took over the last interval (tidemark_sink_events_total). */
  readonly eventsPerSec: Readonly<Record<string, number>>;
  /** Batch delivery latency over the last interval (tidemark_stage_latency_seconds, deliver). */
  readonly batchP50Ms: number | null;
  readonly batchP99Ms: number | null;
  readonly rssMb: number | null;
}

export interface WorkloadView {
  readonly state: 'stopped' | 'running' | 'paused';
  readonly writers: number;
  readonly rate: number;
  readonly mix: { readonly insert: number; readonly update: number; readonly delete: number };
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly rowsWritten: number;
  readonly reconnects: number;
  readonly lastError: string | null;
}

export interface LiveView {
  readonly source: SourceFamily;
  readonly pipeline: string;
  readonly sinks: readonly string[];
  readonly status: 'starting' | 'ready' | 'failed' | 'closing';
  readonly detail?: string;
  readonly workload: WorkloadView;
}

export interface CheckView {
  readonly status: 'running' | 'done' | 'failed';
  readonly phase: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly source: SourceFamily;
  readonly verdicts: readonly Verdict[];
  readonly error?: string;
}

export interface RunRequest {
  readonly scenario: string;
  readonly source: 'mysql' | 'postgres' | 'both';
  readonly seed: number;
  readonly runs: number;
}

export interface RunChart {
  readonly throughput: readonly ChartSeries[];
  readonly lag: readonly ChartSeries[];
  readonly windows: readonly ChartWindow[];
}

export interface RunResult {
  readonly title: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly seed?: number;
  readonly verdicts: readonly Verdict[];
  readonly error?: string;
  readonly chart: RunChart;
}

export type RunStatus = 'running' | 'passed' | 'failed' | 'stopped' | 'error' | 'interrupted';

/** A/B figures of one config: the drain of the engine process that drained the backlog. */
export interface DrainFigures {
  readonly eventsPerSec: number | null;
  readonly p99BatchMs: number | null;
  readonly peakRssMb: number | null;
  readonly events: number | null;
}

export interface AbResult {
  readonly scenario: string;
  readonly a: DrainFigures;
  readonly b: DrainFigures;
}

export interface RunView {
  readonly id: string;
  readonly kind: 'scenario' | 'ab';
  readonly request: RunRequest;
  /** The same run from a terminal. */
  readonly cli: string;
  readonly status: RunStatus;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly title: string;
  readonly phase: string;
  readonly activeFaults: readonly string[];
  readonly log: readonly string[];
  readonly samples: readonly TimelineSample[];
  readonly results: readonly RunResult[];
  readonly reportUrl?: string;
  readonly ab?: AbResult;
  readonly error?: string;
}

/** A finished (or interrupted) run as kept on disk. */
export type HistoryEntry = Omit<RunView, 'log' | 'samples' | 'activeFaults' | 'phase'>;

export interface ParamSpec {
  readonly name: string;
  readonly type: 'integer' | 'number' | 'enum' | 'string';
  readonly default?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
  readonly optional: boolean;
}

export interface FaultSpec {
  readonly kind: string;
  readonly group: 'network' | 'process' | 'source';
  readonly targets: readonly string[];
  readonly defaultTarget?: string;
  readonly params: readonly ParamSpec[];
}

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly fault: string;
  readonly target: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly sources?: readonly SourceFamily[];
}

export interface ScenarioSummary {
  readonly name: string;
  readonly description: string;
  readonly sources: readonly string[];
  readonly tags: readonly string[];
  readonly destructive: boolean;
}

export interface Catalog {
  readonly faults: readonly FaultSpec[];
  readonly presets: readonly Preset[];
  readonly scenarios: readonly ScenarioSummary[];
  /** The scenario the config lab's A/B runs. */
  readonly abScenario: string;
}

export interface PlaygroundState {
  readonly status: 'starting' | 'ready' | 'failed';
  readonly startup: readonly string[];
  readonly error?: string;
  readonly provider: string;
  readonly services: readonly ServiceView[];
  readonly engines: readonly EngineView[];
  readonly links: { readonly grafana?: string; readonly prometheus?: string };
  readonly live: LiveView | null;
  readonly faults: { readonly active: readonly FaultView[]; readonly timeline: readonly FaultView[] };
  readonly samples: readonly LiveSample[];
  readonly check: CheckView | null;
  readonly run: RunView | null;
  readonly history: readonly HistoryEntry[];
  readonly catalog: Catalog;
  /** What happened, newest last: services started and stopped, nemesis messages, errors. */
  readonly activity: readonly string[];
}

/** One SSE message: replace a top-level key, append to a list, or append to the current run. */
export type StateMessage =
  | { readonly op: 'snapshot'; readonly state: PlaygroundState }
  | { readonly op: 'set'; readonly key: keyof PlaygroundState; readonly value: unknown }
  | { readonly op: 'sample'; readonly sample: LiveSample; readonly keep: number }
  | { readonly op: 'run-log'; readonly id: string; readonly line: string; readonly keep: number }
  | { readonly op: 'run-sample'; readonly id: string; readonly sample: TimelineSample };
