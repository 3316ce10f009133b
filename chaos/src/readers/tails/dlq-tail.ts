import type { DlqEntryInfo } from '../../engine/api-client.js';
import type { SinkRecord } from '../../history/index.js';
import { decodeRecord } from '../decode/record.js';
import type { SinkTail, TailOptions } from './tail.js';

export interface DlqTailOptions extends TailOptions {
  /** Lists the pipeline's DLQ entries, oldest first (the engine's REST API). */
  readonly list: () => Promise<readonly DlqEntryInfo[]>;
  readonly count: () => Promise<number>;
  /**
   * Acknowledge (remove) what was read, as a consumer of the DLQ would: under overflow_policy
   * block this is what makes room again; it also lifts the 1,000-entry listing limit.
   */
  readonly ack?: (upToSeq: number) => Promise<number>;
}

/**
 * The DLQ journal as one more history, read through the engine's REST API as an operator reads
 * it: each entry becomes a record of the stream `dlq:<sink id>` (the sink that refused it), with
 * its reason; its event id is its idempotency key (a replay stores the same id again).
 * The listing shows the oldest 1,000 entries: a larger journal cannot be judged (the read fails
 * saying so rather than judging part of it).
 */
export class DlqTail implements SinkTail {
  /**
   * A listing carries whole row images (tens of MB for a large DLQ): without acknowledging, it
   * is read once, at the final read, not on every catch-up round (the engine serialises it each time).
   */
  readonly finalOnly: boolean;

  private lastSeq = 0;
  private readonly seqs = new Map<string, number>();
  /** Entries this tail acknowledged. */
  acked = 0;

  constructor(private readonly options: DlqTailOptions) {
    this.finalOnly = !options.ack;
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    const total = await this.options.count();
    if (total > 1000 && !this.options.ack) throw new Error(`the DLQ holds ${total} entries; its REST listing shows at most 1,000, so it cannot be read whole (keep the scenario's poison rows under 1,000, or read with ack)`);
    for (;;) {
      const entries = await this.options.list();
      this.take(entries, visit, undecodable);
      if (!this.options.ack || entries.length === 0) return true;
      this.acked += await this.options.ack(entries.at(-1)!.seq);
      if (entries.length < 1000) return true;
    }
  }

  private take(entries: readonly DlqEntryInfo[], visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): void {
    for (const entry of entries) {
      if (entry.seq <= this.lastSeq) continue;
      this.lastSeq = entry.seq;
      const stream = `dlq:${entry.meta.sink_id}`;
      const seq = this.seqs.get(stream) ?? 0;
      this.seqs.set(stream, seq + 1);
      const position = `dlq#${entry.seq}`;
      if (entry.payload_truncated) {
        undecodable(position, `DLQ entry ${entry.seq} has truncated images (journal.max_event_bytes): its version cannot be read`);
        continue;
      }
      try {
        const record = decodeRecord({ payload: { parsed: { op: entry.event.op, before: entry.event.before, after: entry.event.after, source: entry.event.source } }, meta: { 'tidemark-idempotency-key': entry.event_id, ...(entry.event.tx ? { 'tidemark-tx-id': entry.event.tx.id } : {}) }, stream, seq, position, sinkTxn: null }, this.options.primaryKeys);
        visit({ ...record, dlq: { sink: entry.meta.sink_id, errorKind: entry.meta.error_kind, errorCode: entry.meta.error_code } });
      } catch (e) {
        undecodable(position, e instanceof Error ? e.message : String(e));
      }
    }
  }

  async close(): Promise<void> {}
}
