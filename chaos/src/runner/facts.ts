import type { DlqFacts, EngineFacts, EngineMemoryFacts, PipelineFacts, RunFacts, SinkFacts } from '../checkers/index.js';
import type { EngineProcess } from '../engine/engine-process.js';
import type { SourceLog } from '../history/index.js';

/** The engine as the REST API reports it at the end of the run; health null when it does not answer. */
export async function engineFacts(engine: EngineProcess): Promise<EngineFacts> {
  if (!engine.running) return { health: null, pipelines: [] };
  const health = await engine.api.health().then((h) => h.status, () => null);
  const pipelines: PipelineFacts[] = await engine.api.listPipelines().then(
    (list) => list.map((p) => ({ name: p.name, status: p.status, error: p.failure ? { code: p.failure.code, message: p.failure.message } : null })),
    () => [],
  );
  return { health, pipelines };
}

export interface FactsInput {
  readonly history: SourceLog;
  readonly workloadStartedAt: number;
  readonly workloadEndedAt: number;
  readonly catchUpFrom: number;
  readonly deadlineMs: number;
  readonly checkedAt: number;
  readonly engine: EngineFacts;
  readonly caughtUpAt: Readonly<Record<string, number | null>>;
  readonly lagMs: Readonly<Record<string, number | null>>;
  /** Tables each sink receives, when the scenario narrows them. */
  readonly tables?: readonly string[];
  readonly engineMemory?: EngineMemoryFacts;
  readonly dlq?: DlqFacts;
}

/** RunFacts (chaos/src/checkers/run-facts.ts) from what the runner observed. */
export function runFacts(i: FactsInput): RunFacts {
  let first = Infinity;
  let last = -Infinity;
  for (let t = 0; t < i.history.txnCount; t++) {
    first = Math.min(first, i.history.tInvokedAt.get(t));
    last = Math.max(last, i.history.tCompletedAt.get(t));
  }
  const sinks: Record<string, SinkFacts> = {};
  for (const [name, caughtUpAt] of Object.entries(i.caughtUpAt)) {
    sinks[name] = { caughtUpAt, lagMs: i.lagMs[name] ?? null, ...(i.tables ? { tables: i.tables } : {}) };
  }
  return {
    workloadStartedAt: Number.isFinite(first) ? first : i.workloadStartedAt,
    workloadEndedAt: Number.isFinite(last) ? last : i.workloadEndedAt,
    catchUpFrom: i.catchUpFrom,
    deadlineMs: i.deadlineMs,
    checkedAt: i.checkedAt,
    engine: i.engine,
    sinks,
    ...(i.engineMemory ? { engineMemory: i.engineMemory } : {}),
    ...(i.dlq ? { dlq: i.dlq } : {}),
  };
}
