import type { EngineProcess } from '../engine/engine-process.js';
import type { NemesisScheduler } from '../nemesis/index.js';
import { adminSql } from './admin-sql.js';
import type { Sampler } from './sampler.js';
import type { ChaosSession } from './session.js';
import type { SinkIo } from '../readers/index.js';

export interface TeardownInput {
  readonly session: ChaosSession;
  readonly engine: EngineProcess;
  readonly workload: { stop(): Promise<unknown> } | null;
  readonly nemesis: NemesisScheduler | null;
  readonly sampler: Sampler | null;
  readonly sinks: readonly SinkIo[];
  /** The run's replication slot (Postgres), dropped so it does not hold WAL for later runs. */
  readonly slot: string | null;
}

/** Leaves nothing of the run behind but its data: every step runs even when an earlier one fails. */
export async function teardownRun(t: TeardownInput): Promise<void> {
  t.sampler?.stop();
  const steps: Array<() => Promise<unknown>> = [
    async () => t.nemesis?.healAll(),
    async () => t.session.receiver?.limit(undefined),
    async () => t.workload?.stop(),
    () => t.engine.close(),
    ...t.sinks.map((s) => () => s.close()),
    async () => {
      if (!t.slot) return;
      for (const name of ['postgres', 'postgres-b'] as const) {
        if (!t.session.topology.has(name)) continue;
        await adminSql(t.session.topology, name, 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [t.slot]);
      }
    },
  ];
  for (const step of steps) await step().catch(() => undefined);
}
