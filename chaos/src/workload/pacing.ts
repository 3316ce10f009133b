/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Spaces one writer's txns `intervalMs` apart. A writer that falls behind (slow server,
 * reconnect) goes on at once but does not burst to catch up.
 */
export class Pacer {
  private next: number;

  constructor(
    private intervalMs: number,
    offsetMs: number,
  ) {
    this.next = Date.now() + offsetMs;
  }

  /** A new spacing from the next txn on (a free-running workload's rate changed). */
  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs;
    this.next = Math.min(this.next, Date.now() + intervalMs);
  }

  async wait(signal: AbortSignal): Promise<void> {
    const now = Date.now();
    await sleep(this.next - now, signal);
    this.next = Math.max(now, this.next) + this.intervalMs;
  }
}

/**
 * Lets writers pause around DDL: `close()` stops new txns from starting and resolves once the
 * running ones have finished; `open()` lets them go on.
 */
export class Gate {
  private active = 0;
  private reopened: Promise<void> | null = null;
  private reopen: (() => void) | null = null;
  private drained: (() => void) | null = null;

  async enter(): Promise<void> {
    while (this.reopened) await this.reopened;
    this.active += 1;
  }

  leave(): void {
    this.active -= 1;
    if (this.active === 0) this.drained?.();
  }

  async close(): Promise<void> {
    if (this.reopened) throw new Error('the workload is already paused for DDL; run one DDL at a time');
    this.reopened = new Promise((resolve) => (this.reopen = resolve));
    if (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = null;
  }

  open(): void {
    const reopen = this.reopen;
    this.reopened = null;
    this.reopen = null;
    reopen?.();
  }
}
