import type { Batch, Position } from '../event/index.js';

/** When a batch is committed, from the set of sinks that acknowledged it (CommitPolicy). */
export interface CommitGate {
  isSatisfied(acked: ReadonlySet<string>): boolean;
}

/** A sink's checkpoint may move to `position` (the end of a batch it holds and that is committed). */
export interface CheckpointMove {
  readonly sinkId: string;
  readonly position: Position;
}

export interface CommittedBatch {
  readonly batch: Batch;
  /** What the caller passed to push(), e.g. performance.now() when sealed. */
  readonly sealedAt: number;
}

/** What one call changed: checkpoint moves to save, in order, and batches newly committed. */
export interface CommitStep {
  readonly moves: readonly CheckpointMove[];
  readonly committed: readonly CommittedBatch[];
}

interface Pending {
  readonly batch: Batch;
  readonly sealedAt: number;
  readonly acks: Set<string>;
}

const NOTHING: CommitStep = Object.freeze({ moves: [], committed: [] });

/**
 * The commit queue: sealed batches in seal order and who acknowledged each. Pure: no I/O, no
 * time, no callbacks — every call returns what changed and the coordinator applies it.
 *
 * Rules (test/engine/coordinator/commit-queue.property.test.ts checks them against a model):
 * - batches commit strictly in push order: a batch commits once the gate is satisfied by its
 *   acknowledgements and every earlier batch has committed;
 * - a sink's checkpoint moves only to a batch that sink acknowledged and that is committed —
 *   at commit time for the sinks that had acknowledged it, at acknowledgement time for a sink
 *   acknowledging a batch already committed;
 * - for each sink, moves come in batch order provided its acknowledgements do (sink lanes are FIFO).
 */
export class CommitQueue {
  private readonly pending: Pending[] = [];
  private readonly bySeq = new Map<number, Pending>();

  constructor(private readonly gate: CommitGate, readonly sinkIds: readonly string[]) {}

  /** Batches pushed and not yet committed. */
  get depth(): number {
    return this.pending.length;
  }

  /** A sealed batch enters the queue; it commits at once when no sink gates it. */
  push(batch: Batch, sealedAt: number): CommitStep {
    const entry: Pending = { batch, sealedAt, acks: new Set() };
    this.pending.push(entry);
    this.bySeq.set(batch.seq, entry);
    return this.drain();
  }

  /** `sinkId` holds `batch` (which was pushed before). */
  ack(sinkId: string, batch: Batch): CommitStep {
    const entry = this.bySeq.get(batch.seq);
    // Not pending any more: it was committed, so this sink's checkpoint may follow at once.
    if (!entry) return { moves: [{ sinkId, position: batch.position }], committed: [] };
    entry.acks.add(sinkId);
    return this.drain();
  }

  /** Commits every batch at the head whose gate is satisfied. */
  drain(): CommitStep {
    if (this.pending.length === 0 || !this.gate.isSatisfied(this.pending[0]!.acks)) return NOTHING;
    const moves: CheckpointMove[] = [];
    const committed: CommittedBatch[] = [];
    while (this.pending.length > 0 && this.gate.isSatisfied(this.pending[0]!.acks)) {
      const entry = this.pending.shift()!;
      this.bySeq.delete(entry.batch.seq);
      for (const sinkId of entry.acks) moves.push({ sinkId, position: entry.batch.position });
      committed.push({ batch: entry.batch, sealedAt: entry.sealedAt });
    }
    return { moves, committed };
  }
}
