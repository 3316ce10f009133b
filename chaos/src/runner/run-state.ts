import type { EngineProcess } from '../engine/engine-process.js';
import type { FaultEvent, FileImageStore, SourceLog } from '../history/index.js';
import type { InterimCheckReport } from '../report/index.js';
import type { NemesisContext, NemesisScheduler } from '../nemesis/index.js';
import type { TableDef } from '../workload/index.js';
import { adminSql } from './admin-sql.js';
import type { EngineMonitor } from './engine-monitor.js';
import type { LiveJudge } from './live-judge.js';
import type { RunNamespace } from './namespace.js';
import type { PhaseClock } from './phase-clock.js';
import type { RunProgress } from './progress.js';
import type { PreparedRun } from './run-setup.js';
import type { Sampler } from './sampler.js';
import type { ChaosSession } from './session.js';
import type { PlannedRun } from './types.js';

/** What the workload (any kind) offers the runner while it runs. */
export interface LoadHandle {
  log(): SourceLog;
  tables(): TableDef[];
  finished(): Promise<SourceLog>;
  stop(): Promise<unknown>;
  /** Schema changes under load, when the workload supports them. */
  ddl?: NemesisContext['ddl'];
}

/** A periodic check of a run in progress (soak): what was found wrong so far. */
export type InterimCheck = InterimCheckReport;

/** One run in progress: what every phase and driver shares, and what teardown must release. */
export interface RunState {
  readonly session: ChaosSession;
  readonly run: PlannedRun;
  readonly ns: RunNamespace;
  readonly dir: string;
  readonly engine: EngineProcess;
  readonly images: FileImageStore;
  readonly progress: RunProgress;
  readonly signal: AbortSignal;
  readonly clock: PhaseClock;
  readonly startedAt: number;
  prepared: PreparedRun | null;
  baseline: Record<string, number>;
  load: LoadHandle | null;
  nemesis: NemesisScheduler | null;
  sampler: Sampler | null;
  monitor: EngineMonitor | null;
  judge: LiveJudge | null;
  /** Figures a run reports besides its verdicts (events/s, latency, engine memory...). */
  readonly measurements: Record<string, number>;
  readonly interim: InterimCheck[];
}

/** What a driver (standard, backlog, soak) hands back for the final read and the checkers. */
export interface Driven {
  readonly history: SourceLog;
  readonly workloadStartedAt: number;
  readonly workloadEndedAt: number;
  readonly catchUpFrom: number;
  readonly caughtUpAt: Record<string, number | null>;
  readonly faults: readonly FaultEvent[];
}

export function nemesisContext(s: RunState): NemesisContext {
  const { session, run, engine, prepared, ns } = s;
  return {
    topology: session.topology,
    engine,
    source: run.source,
    primary: () => session.primary[run.source],
    onPromoted: (replica) => session.promoted(run.source, replica),
    sql: (service, statement, params) => adminSql(session.topology, service, statement, params),
    ...(prepared?.workloadProxy ? { workloadProxy: prepared.workloadProxy } : {}),
    database: ns.database,
    ...(run.source === 'postgres' ? { slot: ns.slot } : {}),
    ...(s.load?.ddl ? { ddl: s.load.ddl } : {}),
    ...(session.receiver ? { receiver: session.receiver } : {}),
    log: (m) => s.progress.log(m),
  };
}
