import type mysql from 'mysql2/promise';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';

/** One row change as the writer made it: the source history of one key. */
export interface Change {
  readonly op: 'c' | 'u' | 'd';
  readonly v: number;
}

/**
 * Writes transactions of 1..4 row changes over `keys` keys of table `(id INT PK, v INT)`,
 * every change carrying the key's next version, and records each key's history.
 */
export class KeyedWriter {
  readonly history = new Map<number, Change[]>();
  private readonly version = new Map<number, number>();
  private readonly live = new Set<number>();
  private running: Promise<void> | null = null;
  private stopRequested = false;
  transactions = 0;
  private error: unknown = null;

  /** Where the writes go; swapped after a failover to keep writing the same history. */
  db: mysql.Connection;

  constructor(db: mysql.Connection, private readonly table: string, private readonly keys: number, private readonly random: () => number = Math.random) {
    this.db = db;
  }

  /** Keys already in the table at version `v` (loaded in bulk, not through the writer). */
  preload(keys: Iterable<number>, v = 0): void {
    for (const key of keys) {
      this.version.set(key, v);
      this.live.add(key);
    }
  }

  /** Writes transactions of `minSize..maxSize` changes until stopped. */
  start(pauseMs = 2, minSize = 1, maxSize = 4): void {
    this.stopRequested = false;
    this.running = (async () => {
      try {
        while (!this.stopRequested) {
          await this.transaction(minSize + Math.floor(this.random() * (maxSize - minSize + 1)));
          if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
        }
      } catch (e) {
        this.error = e;
      }
    })();
  }

  /** Stops writing; rethrows the error that stopped the writer early, if any. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.running;
    if (this.error) throw this.error;
  }

  async transaction(size: number): Promise<void> {
    const statements: string[] = [];
    const changes: Array<[number, Change]> = [];
    const touched = new Set<number>();
    for (let i = 0; i < size; i++) {
      const key = Math.floor(this.random() * this.keys);
      if (touched.has(key)) continue;
      touched.add(key);
      const v = (this.version.get(key) ?? 0) + 1;
      this.version.set(key, v);
      if (!this.live.has(key)) {
        statements.push(`INSERT INTO ${this.table} (id, v) VALUES (${key}, ${v})`);
        changes.push([key, { op: 'c', v }]);
        this.live.add(key);
      } else if (this.random() < 0.15) {
        statements.push(`DELETE FROM ${this.table} WHERE id = ${key}`);
        changes.push([key, { op: 'd', v: v - 1 }]);
        this.version.set(key, v - 1);
        this.live.delete(key);
      } else {
        statements.push(`UPDATE ${this.table} SET v = ${v} WHERE id = ${key}`);
        changes.push([key, { op: 'u', v }]);
      }
    }
    await this.db.query(`BEGIN; ${statements.join('; ')}; COMMIT`);
    for (const [key, change] of changes) this.history.set(key, [...(this.history.get(key) ?? []), change]);
    this.transactions++;
  }
}

/** Events deduplicated by (tx id, tx index): what an idempotent consumer keeps. */
export function dedupe(events: readonly ChangeEvent[]): ChangeEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const k = `${e.source.db}.${e.source.table}|${e.tx.id}|${e.tx.index}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Per key, the changes a sink holds, in delivery order. */
export function deliveredHistory(events: readonly ChangeEvent[]): Map<number, Change[]> {
  const out = new Map<number, Change[]>();
  for (const e of events) {
    const row = (e.op === 'd' ? e.before : e.after) as { id: number; v: number };
    const op = e.op === 'r' ? 'c' : e.op;
    if (op === 't') continue;
    out.set(row.id, [...(out.get(row.id) ?? []), { op: op as Change['op'], v: row.v }]);
  }
  return out;
}
