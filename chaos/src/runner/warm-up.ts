import type { SinkHistory } from '../history/index.js';
import type { TableDef } from '../workload/index.js';
import { connectSession, type ConnectionOptions } from '../workload/sql/session.js';
import type { SinkIo } from '../readers/index.js';
import type { SourceFamily } from './types.js';
import { sleep } from './wait.js';

/**
 * A table outside the workload's schema model, in its database: the warm-up writes here, so the
 * source history stays exactly the workload's. Its records are dropped from every sink history
 * before judging.
 */
export const WARMUP_TABLE: TableDef = {
  name: 'chaos_warmup',
  columns: [
    { name: 'id', kind: 'int' },
    { name: 'writer', kind: 'int' },
    { name: 'version', kind: 'int' },
    // Routing templates may use `route` (dlq scenarios): the warm-up row must route everywhere.
    { name: 'route', kind: 'varchar', length: 16 },
  ],
  primaryKey: ['id'],
};

export interface WarmUpOptions {
  readonly source: SourceFamily;
  readonly connection: ConnectionOptions;
  readonly database: string;
  readonly sinks: readonly SinkIo[];
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Why the engine is not streaming, for the error (pipeline state, log tail). */
  readonly explain: () => Promise<string>;
}

/**
 * Before any fault: one write must reach every sink, so the run starts with a streaming
 * pipeline. Writes a row every second until each sink holds one (a Postgres slot only
 * captures what is written after it exists). Returns each sink's count afterwards, the baseline
 * the progress display subtracts.
 */
export async function warmUp(o: WarmUpOptions): Promise<Record<string, number>> {
  const session = await connectSession(o.source, o.connection, { label: 'tidemark-chaos-warmup', statementTimeoutMs: 10_000 });
  const table = o.source === 'mysql' ? `\`${o.database}\`.\`${WARMUP_TABLE.name}\`` : `"${o.database}"."${WARMUP_TABLE.name}"`;
  const insert = `INSERT INTO ${table} (id, writer, version, route) VALUES (${o.source === 'mysql' ? '?' : '$1'}, 0, 1, 'warmup')`;
  const deadline = Date.now() + o.timeoutMs;
  try {
    for (let id = 1; ; id++) {
      await session.execute(insert, [id]);
      // A write made before the engine fixed its start position is never captured: rewrite
      // soon (every 3 s cost most runs a 3 s warm-up, as the first row usually came too early).
      const writeDeadline = Math.min(deadline, Date.now() + 1_000);
      while (Date.now() < writeDeadline) {
        o.signal.throwIfAborted();
        const counts = await Promise.all(o.sinks.map((s) => s.count().catch(() => 0)));
        if (counts.every((n) => n > 0)) return Object.fromEntries(o.sinks.map((s, i) => [s.name, counts[i]!]));
        await sleep(200, o.signal);
      }
      if (Date.now() >= deadline) {
        const counts = await Promise.all(o.sinks.map(async (s) => `${s.name}=${await s.count().catch(() => '?')}`));
        throw new Error(`warm-up: a write did not reach every sink within ${o.timeoutMs / 1000} s (records: ${counts.join(', ')}); the engine is not streaming\n${await o.explain()}`);
      }
    }
  } finally {
    await session.close();
  }
}

/** A sink history without the warm-up's records. */
export function withoutWarmup(h: SinkHistory): SinkHistory {
  return { ...h, records: h.records.filter((r) => r.table !== WARMUP_TABLE.name) };
}
