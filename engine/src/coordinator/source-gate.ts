import type { Position } from '../event/index.js';
import type { Logger } from '../logging/logger.js';
import type { Source } from '../sources/source.js';

export type PauseReason = 'backpressure' | 'user';

/**
 * The coordinator's hold on the source: pausing it while `max_inflight` batches wait for
 * commit (backpressure) or while the operator paused the pipeline — it reads again only when
 * neither holds — and releasing server-side position only forwards, to the minimum durable
 * checkpoint.
 */
export class SourceGate {
  private readonly reasons = new Set<PauseReason>();
  private started = false;
  private released: Position | null = null;

  constructor(private readonly source: Source, private readonly maxInflight: number, private readonly logger: Logger) {}

  /** Marked before source.start() is called: a source may emit, and need pausing, before it resolves. */
  markStarted(): void {
    this.started = true;
  }

  get isStarted(): boolean {
    return this.started;
  }

  pause(reason: PauseReason): void {
    const wasPaused = this.reasons.size > 0;
    this.reasons.add(reason);
    if (!wasPaused && this.started) this.source.pause();
  }

  resume(reason: PauseReason): void {
    if (!this.reasons.delete(reason)) return;
    if (this.reasons.size === 0 && this.started) this.source.resume();
  }

  /** A batch was sealed with `inflight` batches waiting for commit. */
  pauseIfFull(inflight: number): void {
    if (inflight >= this.maxInflight) this.pause('backpressure');
  }

  /** Batches committed, `inflight` still waiting. */
  resumeIfRoom(inflight: number): void {
    if (inflight < this.maxInflight) this.resume('backpressure');
  }

  /** The minimum durable checkpoint moved: the source may release server state up to it. */
  release(minimum: Position): void {
    if (this.released && this.source.comparePositions(minimum, this.released) <= 0) return;
    this.released = minimum;
    try {
      this.source.acknowledge(minimum);
    } catch (e) {
      this.logger.warn({ err: e }, 'source acknowledge failed; it is retried on the next checkpoint');
    }
  }

  /** Stops the source if it was started (graceful). */
  async stop(): Promise<void> {
    if (this.started) await this.source.stop();
  }

  /** Stops the source at once, as a crash would; nothing awaits it. */
  abandon(): void {
    if (this.started) this.source.stop().catch(() => {});
    this.started = false;
  }
}
