import type { Clock, TimerHandle } from '../util/clock.js';

/**
 * `batch.max_ms` on the injected clock: armed when the first event of a batch arrives, and on
 * expiry asks whether events are still open (`onExpiry` returns true) to run again.
 */
export class BatchTimer {
  private timer: TimerHandle | null = null;

  constructor(private readonly clock: Clock, private readonly ms: number, private readonly onExpiry: () => boolean) {}

  /** Starts the countdown unless one runs. */
  arm(): void {
    if (this.timer !== null) return;
    this.timer = this.clock.setTimer(this.ms, () => {
      this.timer = null;
      if (this.onExpiry()) this.arm();
    });
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
