import type { RowVersion, SchemaChange, SourceHistory, SourceTxn } from '../history/index.js';
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

type MutableTxn = { -readonly [K in keyof SourceTxn]: SourceTxn[K] };

/** Collects the source history as writers invoke and complete txns. */
export class HistoryRecorder {
  private nextId = 1;
  private readonly pending = new Map<number, { writer: number; versions: readonly RowVersion[]; invokedAt: number }>();
  private readonly done: MutableTxn[] = [];
  private readonly changes: SchemaChange[] = [];
  private counts = { ok: 0, fail: 0, info: 0, rowsWritten: 0, reconnects: 0 };
  private lastError: string | null = null;

  constructor(
    private readonly source: SourceKind,
    private readonly database: string,
    private readonly primaryKeys: Readonly<Record<string, readonly string[]>>,
    private readonly columns: Readonly<Record<string, readonly string[]>>,
  ) {}

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
    this.done.push({ id, ...txn, outcome: result.outcome, completedAt: Date.now(), ...(result.error ? { error: result.error } : {}) });
    this.counts[result.outcome] += 1;
    if (result.outcome === 'ok') this.counts.rowsWritten += txn.versions.length;
    if (result.error) this.lastError = result.error;
  }

  /** What a read after an info txn found; see `SourceTxn.resolution`. */
  resolve(id: number, resolution: 'committed' | 'rolled-back'): void {
    const txn = this.done.findLast((t) => t.id === id);
    if (txn) txn.resolution = resolution;
  }

  reconnected(): void {
    this.counts.reconnects += 1;
  }

  error(message: string): void {
    this.lastError = message;
  }

  schemaChange(change: SchemaChange): void {
    this.changes.push(change);
  }

  counters(): WorkloadCounters {
    return { ...this.counts, inFlight: this.pending.size, lastError: this.lastError };
  }

  /** A snapshot: completed txns in id (invocation) order. */
  history(): SourceHistory {
    return {
      source: this.source,
      database: this.database,
      primaryKeys: this.primaryKeys,
      columns: this.columns,
      schemaChanges: [...this.changes],
      txns: [...this.done].sort((a, b) => a.id - b.id).map((t) => ({ ...t })),
    };
  }
}
