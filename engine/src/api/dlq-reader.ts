import type { Pipeline } from '../runtime/index.js';

/** What health and status report about a DLQ (journal/DeadLetterJournal's status()). */
export interface DlqStatus {
  readonly blocked: boolean;
  readonly saturation: number;
  /** Poison events lost since the journal opened because it was full (overflow_policy reject). */
  readonly rejected: number;
  readonly full: { readonly code: string; readonly message: string } | null;
}

/** Why a pipeline's DLQ makes it degraded (still healthy), or null. */
export function dlqDegradation(pipeline: Pipeline): { pipeline: string; code: string; reason: string; rejected?: number } | null {
  const status = dlqReader(pipeline)?.status?.();
  // `full` is the journal's TIDEMARK_ERR_DLQ_FULL, set while it blocks and once it rejected anything.
  if (!status?.full || (!status.blocked && status.rejected === 0)) return null;
  const code = status.full.code;
  if (status.blocked) return { pipeline: pipeline.name, code, reason: 'DLQ is full and overflow_policy is block: ack entries to resume' };
  return { pipeline: pipeline.name, code, reason: `${status.rejected} poison events rejected and lost since the DLQ journal opened (full, overflow_policy reject): ack entries to make room`, rejected: status.rejected };
}

/** What the DLQ routes need from a pipeline's journal (implemented by journal/DeadLetterJournal). */
export interface DlqReader {
  peek(filter: { limit?: number; sinkId?: string; errorKind?: string }): Promise<readonly unknown[]>;
  count(): Promise<number>;
  ack(upToSeq: number): Promise<number>;
  purge(): Promise<number>;
  status?(): DlqStatus;
}

/** The pipeline's journal as a reader, or null when the pipeline has none. */
export function dlqReader(pipeline: Pipeline): DlqReader | null {
  const journal = pipeline.journal() as Partial<DlqReader> | null;
  if (!journal || typeof journal.peek !== 'function' || typeof journal.count !== 'function' || typeof journal.ack !== 'function' || typeof journal.purge !== 'function') return null;
  return journal as DlqReader;
}
