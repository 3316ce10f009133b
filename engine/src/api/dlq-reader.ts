import type { Pipeline } from '../runtime/index.js';

/** What the DLQ routes need from a pipeline's journal (implemented by journal/DeadLetterJournal). */
export interface DlqReader {
  peek(filter: { limit?: number; sinkId?: string; errorKind?: string }): Promise<readonly unknown[]>;
  count(): Promise<number>;
  ack(upToSeq: number): Promise<number>;
  purge(): Promise<number>;
  status?(): { readonly blocked: boolean; readonly saturation: number };
}

/** The pipeline's journal as a reader, or null when the pipeline has none. */
export function dlqReader(pipeline: Pipeline): DlqReader | null {
  const journal = pipeline.journal() as Partial<DlqReader> | null;
  if (!journal || typeof journal.peek !== 'function' || typeof journal.count !== 'function' || typeof journal.ack !== 'function' || typeof journal.purge !== 'function') return null;
  return journal as DlqReader;
}
