/**
 * What the runner observed about a run, besides the histories: the engine's health and
 * pipeline state at the end, when each sink caught up with the source, and the deadline.
 * All instants are ms since the Unix epoch; all durations are ms.
 */
export interface RunFacts {
  /** When the workload wrote its first and its last transaction. */
  readonly workloadStartedAt: number;
  readonly workloadEndedAt: number;
  /**
   * When the catch-up clock started: the later of the workload's end and the moment the last
   * fault was healed. A sink must hold the source's final ok state by `catchUpFrom + deadlineMs`.
   */
  readonly catchUpFrom: number;
  /** The scenario's `deadline`, in ms. */
  readonly deadlineMs: number;
  /** When the readers took the final read. */
  readonly checkedAt: number;
  readonly engine: EngineFacts;
  /** Keyed by sink name (`SinkHistory.sink`). */
  readonly sinks: Readonly<Record<string, SinkFacts>>;
  /** The engine's memory over the run, for the `leak` checker (soaks sample it; absent elsewhere). */
  readonly engineMemory?: EngineMemoryFacts;
  /** The DLQ journal's bound and what it dropped, when the pipeline has one (dlq scenarios). */
  readonly dlq?: DlqFacts;
}

export interface DlqFacts {
  readonly policy: 'drop_oldest' | 'reject' | 'block';
  readonly maxEntries: number;
  /** Entries the journal evicted (drop_oldest) or events it refused (reject), from the engine's metrics. */
  readonly evicted: number;
  readonly rejected: number;
  /** Entries the harness acknowledged (removed) while reading, to make room under `block`. */
  readonly acked: number;
}

export interface EngineMemorySample {
  readonly t: number;
  readonly pid: number;
  readonly rssMb: number;
  readonly heapMb: number | null;
  readonly liveMb: number | null;
  readonly fullCollections: number | null;
}

export interface EngineMemoryFacts {
  /**
   * Samples in time order (ms since the epoch); the heap figures are null where the metrics did
   * not answer. `liveMb` is the heap right after the process's latest full collection, and
   * `fullCollections` how many it has run so far.
   */
  readonly samples: readonly EngineMemorySample[];
  /** Share of the run (0..1) that is warm-up, not judged. */
  readonly warmup: number;
  /** Largest tolerated growth of the live heap, MB per hour. */
  readonly maxMbPerHour: number;
}

export interface EngineFacts {
  /** HTTP status of `GET /health` at the end of the run; null when the engine did not answer. */
  readonly health: number | null;
  readonly pipelines: readonly PipelineFacts[];
}

/** One pipeline as the engine's REST API reported it at the end of the run. */
export interface PipelineFacts {
  readonly name: string;
  /** The engine's PipelineStatus: starting, running, paused, stopping, stopped or failed. */
  readonly status: string;
  /** The error that stopped it, when it failed. */
  readonly error?: { readonly code: string; readonly message: string } | null;
}

export interface SinkFacts {
  /**
   * The tables (as `RowVersion.table` names them) the pipeline routes to this sink. Absent: every
   * table of the source history. Versions of other tables are neither expected nor judged lost.
   */
  readonly tables?: readonly string[];
  /** First instant the sink held every ok version of its tables; null when it never did. */
  readonly caughtUpAt: number | null;
  /** The last lag the runner sampled (source commit to sink arrival), when known. */
  readonly lagMs?: number | null;
}
