import { SourceLog, type ImageStore, type RowVersion, type SchemaChange, type SourceHistory } from '../history/index.js';
import type { TxnResult } from './executor.js';
import type { SourceKind } from './sql/dialect.js';

/** Live figures for a progress display. */
export interface WorkloadCounters {
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** Row versions in ok txns. */
  readonly rowsWritten: number;
  /** Txns invoked and not yet completed. */
  readonly inFlight: number;
  /** New sessions opened after a lost or failed one. */
  readonly reconnects: number;
  readonly lastError: string | null;
}

/**
 * Collects the source history as writers invoke and complete txns, straight into a compact
 * SourceLog (images to its ImageStore): a run of millions of versions keeps 36 bytes per
 * version in memory, not the versions themselves.
 */
export class HistoryRecorder {
  private nextId = 1;
  private readonly pending = new Map<number, { writer: number; versions: readonly RowVersion[]; invokedAt: number }>();
  readonly log: SourceLog;
  private counts = { ok: 0, fail: 0, info: 0, rowsWritten: 0, reconnects: 0 };
  private lastError: string | null = null;

  constructor(source: SourceKind, database: string, primaryKeys: Readonly<Record<string, readonly string[]>>, columns: Readonly<Record<string, readonly string[]>>, images?: ImageStore) {
    this.log = new SourceLog({ source, database, primaryKeys, columns, ...(images ? { images } : {}) });
  }

  /** The id the next invoked txn gets. */
  get peekNextId(): number {
    return this.nextId;
  }

  invoke(writer: number, versions: readonly RowVersion[]): number {
    const id = this.nextId++;
    this.pending.set(id, { writer, versions, invokedAt: Date.now() });
    return id;
  }

  complete(id: number, result: TxnResult): void {
    const txn = this.pending.get(id);
    if (!txn) throw new Error(`txn ${id} completed twice or was never invoked`);
    this.pending.delete(id);
    this.log.append({ id, ...txn, outcome: result.outcome, completedAt: Date.now(), ...(result.error ? { error: result.error } : {}) });
    this.counts[result.outcome] += 1;
    if (result.outcome === 'ok') this.counts.rowsWritten += txn.versions.length;
    if (result.error) this.lastError = result.error;
  }

  /** What a read after an info txn found; see `SourceTxn.resolution`. */
  resolve(id: number, resolution: 'committed' | 'rolled-back'): void {
    this.log.resolve(id, resolution);
  }

  reconnected(): void {
    this.counts.reconnects += 1;
  }

  error(message: string): void {
    this.lastError = message;
  }

  schemaChange(change: SchemaChange): void {
    this.log.addSchemaChange(change);
  }

  counters(): WorkloadCounters {
    return { ...this.counts, inFlight: this.pending.size, lastError: this.lastError };
  }

  /** A snapshot as a plain history, completed txns in id (invocation) order (images read back: small runs and tests). */
  history(): SourceHistory {
    return this.log.toHistory();
  }
}
