import { createCheckers } from '../../checkers/index.js';
import type { EngineProcess } from '../../engine/engine-process.js';
import { SourceLog, type SinkHistory, type SourceHistory, type Verdict } from '../../history/index.js';
import { engineFacts, runFacts } from '../../runner/facts.js';
import { withoutWarmup } from '../../runner/warm-up.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../workload/index.js';
import { catchUpByReads } from './catch-up-reads.js';
import type { LiveSession } from './live-session.js';

export interface CheckOptions {
  readonly live: LiveSession;
  readonly engine: EngineProcess;
  readonly signal: AbortSignal;
  readonly phase: (name: string) => void;
  readonly log: (line: string) => void;
}

/**
 * "Check now": the scenario runner's end of run, over everything written and delivered so far.
 * Writes pause (running txns finish, new ones wait) so the history is a clean cut; the sinks get
 * the playground scenario's deadline to catch up; then the same readers and checkers as a
 * scenario run judge the real payloads. Writes resume afterwards, whatever happened.
 */
export async function checkNow(o: CheckOptions): Promise<Verdict[]> {
  const { live } = o;
  const workload = live.currentWorkload;
  o.phase('pausing writes');
  if (workload) await workload.pause();
  try {
    const history: SourceHistory = workload?.history() ?? { source: live.source, txns: [], primaryKeys: WORKLOAD_PRIMARY_KEYS, database: live.ns.database };
    const pausedAt = Date.now();
    const lastHeal = Math.max(0, ...live.nemesis.events.map((e) => e.until ?? 0));
    const catchUpFrom = Math.max(pausedAt, lastHeal);
    const deadlineMs = live.checkDeadlineS * 1000;
    o.phase('catch-up');
    const tables = live.prepared.tables;
    const caughtUpAt = await catchUpByReads({ sinks: live.sinks, baseline: live.baseline, history, deadlineAt: catchUpFrom + deadlineMs, signal: o.signal, log: o.log, ...(tables ? { tables } : {}) });
    o.phase('read');
    const engine = await engineFacts(o.engine);
    const checkedAt = Date.now();
    const histories: SinkHistory[] = (await Promise.all(live.sinks.map((s) => s.readAll()))).flat().map(withoutWarmup);
    o.phase('check');
    const scenario = live.loaded.scenario;
    const facts = runFacts({ history: SourceLog.of(history), workloadStartedAt: pausedAt, workloadEndedAt: pausedAt, catchUpFrom, deadlineMs, checkedAt, engine, caughtUpAt, lagMs: {}, ...(tables ? { tables } : {}) });
    // Only this pipeline's state matters: other pipelines on the engine are someone else's.
    const own = { ...facts, engine: { ...facts.engine, pipelines: facts.engine.pipelines.filter((p) => p.name === live.ns.pipeline) } };
    return createCheckers(scenario.checkers, { expect: scenario.expect }).check({ source: history, sinks: histories, faults: live.nemesis.events, facts: own });
  } finally {
    workload?.resume();
  }
}
