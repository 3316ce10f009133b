import type { Position } from '../event/index.js';
import { sinkCheckpointKey, type CheckpointStore } from '../checkpoints/index.js';
import { minimumPosition } from './positions.js';

/**
 * Serialises checkpoint saves and coalesces them: while one save runs, newer positions for
 * the same sink replace older ones, so a slow store never builds a queue.
 * After every save it reports the minimum over all sinks, which is what the source may release.
 */
export class CheckpointWriter {
  private readonly desired = new Map<string, Position>();
  private readonly saved = new Map<string, Position>();
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly store: CheckpointStore,
    private readonly sourceId: string,
    private readonly sinkIds: readonly string[],
    private readonly compare: (a: Position, b: Position) => number,
    private readonly onSaved: (sinkIds: string[], minimum: Position | null) => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Positions already durable at start (from the store or the sink itself). */
  seed(sinkId: string, position: Position): void {
    this.saved.set(sinkId, position);
  }

  savedPosition(sinkId: string): Position | undefined {
    return this.saved.get(sinkId);
  }

  set(sinkId: string, position: Position): void {
    if (this.closed) return;
    this.desired.set(sinkId, position);
    this.flushing ??= this.flushLoop();
  }

  /** Resolves when everything set so far is saved. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** No save starts after this (a crash or a failure). */
  close(): void {
    this.closed = true;
    this.desired.clear();
  }

  /** Minimum over every sink; null while some sink has no checkpoint yet. */
  minimum(): Position | null {
    const saved = this.sinkIds.map((id) => this.saved.get(id));
    return saved.includes(undefined) ? null : minimumPosition(saved, this.compare);
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.desired.size > 0 && !this.closed) {
        const batch = [...this.desired];
        this.desired.clear();
        await this.store.save(batch.map(([sinkId, position]) => ({ key: sinkCheckpointKey(this.sourceId, sinkId), position })));
        if (this.closed) return;
        for (const [sinkId, position] of batch) this.saved.set(sinkId, position);
        this.onSaved(batch.map(([id]) => id), this.minimum());
      }
    } catch (e) {
      this.closed = true;
      this.onError(e);
    } finally {
      this.flushing = null;
    }
  }
}
