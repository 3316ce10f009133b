import type { ChangeEvent } from '../../../event/index.js';
import type { SourceMetrics } from '../../../metrics/hooks.js';

/** Counts emitted events and reports them to the metrics hooks once a second, not per event. */
export class EventCounter {
  private events = 0;
  private bytes = 0;
  private newestTs = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly metrics: SourceMetrics) {
    this.timer = setInterval(() => this.report(), 1000);
    this.timer.unref();
  }

  count(event: ChangeEvent): void {
    this.events++;
    this.bytes += event.size;
    this.newestTs = event.ts;
  }

  close(): void {
    clearInterval(this.timer);
    this.report();
  }

  private report(): void {
    if (this.events === 0) return;
    this.metrics.events(this.events);
    this.metrics.bytes(this.bytes);
    this.metrics.lag(Math.max(0, Date.now() - this.newestTs) / 1000);
    this.events = 0;
    this.bytes = 0;
  }
}
