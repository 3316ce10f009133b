import type { ChangeEvent } from '../event/index.js';
import { deterministicEventId } from '../event/idempotency.js';
import type { MemoryLog } from './memory-source.js';

export interface GeneratedLogOptions {
  readonly events: number;
  /** Events per source transaction (the last one may be shorter). */
  readonly txSize: number;
  /** Distinct primary keys per table. */
  readonly keys?: number;
  readonly tables?: readonly string[];
  /** Approximate payload bytes per event (padding field). */
  readonly payloadBytes?: number;
}

/**
 * A deterministic change log: event `i` is always the same, so a process that is killed and
 * restarted replays exactly what it would have emitted. Row `v` = offset, so readers can tell
 * every version apart and check order per key.
 */
export function generatedLog(o: GeneratedLogOptions): MemoryLog {
  const keys = o.keys ?? 100;
  const tables = o.tables ?? ['orders', 'items'];
  const pad = 'x'.repeat(Math.max(0, (o.payloadBytes ?? 100) - 60));
  return {
    length: o.events,
    at(i: number): ChangeEvent {
      const table = tables[i % tables.length]!;
      const key = Math.floor(i / tables.length) % keys;
      const tx = Math.floor(i / o.txSize);
      const index = i % o.txSize;
      const end = index === o.txSize - 1 || i === o.events - 1;
      const txId = `tx-${tx}`;
      const after = { id: key, v: i, pad };
      return {
        id: deterministicEventId(`gen|${table}|${txId}|${index}`),
        source: { connector: 'memory', name: 'generated', db: 'gen', table, position: { offset: i } },
        op: i < keys * tables.length ? 'c' : 'u',
        before: null,
        after,
        tx: { id: txId, index, end },
        ts: 1_700_000_000_000 + i,
        schemaVersion: null,
        size: 60 + pad.length,
        primaryKey: ['id'],
      };
    },
  };
}
