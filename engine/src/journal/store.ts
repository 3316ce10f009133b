import type Database from 'better-sqlite3';
import { TidemarkError } from '../errors/index.js';
import { openDurableSqlite } from '../util/durable-sqlite.js';
import type { DlqEntry, NewDlqEntry } from './entry.js';

export interface PeekFilter {
  readonly limit?: number;
  readonly sinkId?: string;
  readonly errorKind?: string;
}

interface Row {
  seq: number;
  body: string;
}

/**
 * The journal's SQLite file. AUTOINCREMENT keeps seq strictly increasing even after the newest
 * entries were acked or purged, so an operator's `ack(up_to_seq)` never covers an entry written
 * after they looked. WAL with synchronous=FULL: the coordinator counts a batch as acknowledged
 * once its poison events are here, so they must survive a crash.
 */
export class JournalStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly path: string) {
    try {
      this.db = openDurableSqlite(path);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS dlq_entries (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          inserted_at_ms INTEGER NOT NULL,
          sink_id TEXT NOT NULL,
          error_kind TEXT NOT NULL,
          body TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS dlq_entries_by_age ON dlq_entries (inserted_at_ms);`);
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_DLQ_OPEN', `cannot open DLQ journal ${path}: ${(e as Error).message}`, { cause: e, context: { path } });
    }
    this.stmts = {
      insert: this.db.prepare<[number, string, string, string]>('INSERT INTO dlq_entries (inserted_at_ms, sink_id, error_kind, body) VALUES (?, ?, ?, ?)'),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM dlq_entries'),
      peek: this.db.prepare<[{ sink: string | null; kind: string | null; limit: number }], Row>(
        'SELECT seq, body FROM dlq_entries WHERE (@sink IS NULL OR sink_id = @sink) AND (@kind IS NULL OR error_kind = @kind) ORDER BY seq LIMIT @limit',
      ),
      ackUpTo: this.db.prepare<[number]>('DELETE FROM dlq_entries WHERE seq <= ?'),
      purge: this.db.prepare('DELETE FROM dlq_entries'),
      dropOldest: this.db.prepare<[number]>('DELETE FROM dlq_entries WHERE seq IN (SELECT seq FROM dlq_entries ORDER BY seq LIMIT ?)'),
      expire: this.db.prepare<[number]>('DELETE FROM dlq_entries WHERE inserted_at_ms < ?'),
    };
  }

  /** Appends entries in one transaction; returns the seqs given. */
  insert(entries: readonly NewDlqEntry[], nowMs: number): number[] {
    return this.run('insert', () =>
      this.db.transaction(() => entries.map((e) => Number(this.stmts.insert.run(nowMs, e.meta.sink_id, e.meta.error_kind, JSON.stringify(e)).lastInsertRowid)))(),
    );
  }

  count(): number {
    return this.run('count', () => this.stmts.count.get()!.n);
  }

  peek(filter: PeekFilter): DlqEntry[] {
    const rows = this.run('peek', () => this.stmts.peek.all({ sink: filter.sinkId ?? null, kind: filter.errorKind ?? null, limit: Math.max(0, filter.limit ?? 50) }));
    return rows.map((r) => ({ seq: r.seq, ...(JSON.parse(r.body) as Omit<DlqEntry, 'seq'>) }));
  }

  ackUpTo(seq: number): number {
    return this.run('ack', () => this.stmts.ackUpTo.run(seq).changes);
  }

  purge(): number {
    return this.run('purge', () => this.stmts.purge.run().changes);
  }

  dropOldest(n: number): number {
    return n <= 0 ? 0 : this.run('evict', () => this.stmts.dropOldest.run(n).changes);
  }

  expireBefore(cutoffMs: number): number {
    return this.run('cleanup', () => this.stmts.expire.run(cutoffMs).changes);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get open(): boolean {
    return this.db.open;
  }

  private run<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_DLQ_WRITE', `DLQ journal ${this.path}: ${what} failed: ${(e as Error).message}`, { cause: e, context: { path: this.path } });
    }
  }
}
