/** Lets snapshot workers wait while the coordinator holds the source paused. */
export class PauseGate {
  private waiters: Array<() => void> = [];
  private paused = false;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves at once when not paused, else on the next resume. */
  wait(): Promise<void> {
    return this.paused ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
}
