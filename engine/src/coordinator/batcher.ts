import type { ChangeEvent } from '../event/index.js';

export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly respectSourceTx: boolean;
}

export type SealedEvents = { readonly events: ChangeEvent[]; readonly bytes: number };

/**
 * Accumulates events into batches. Pure and synchronous; time is the caller's business
 * (it calls `sealOnTimer` when max_ms elapsed).
 *
 * With respect_source_tx a batch only ever ends at a transaction end: when a limit is reached
 * mid-transaction the batch is sealed at the last complete transaction and the partial one
 * carries over; a single transaction larger than the limits becomes one oversized batch.
 */
export class Batcher {
  private open: ChangeEvent[] = [];
  private bytes = 0;
  /** Events (and their bytes) up to the last transaction end in `open`. */
  private boundary = 0;
  private boundaryBytes = 0;

  constructor(private readonly limits: BatchLimits, private readonly onSeal: (sealed: SealedEvents) => void) {}

  get openEvents(): number {
    return this.open.length;
  }

  add(event: ChangeEvent): void {
    this.open.push(event);
    this.bytes += event.size;
    if (!this.limits.respectSourceTx || event.tx.end) {
      this.boundary = this.open.length;
      this.boundaryBytes = this.bytes;
    }
    if (this.open.length >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes) this.sealAtBoundary();
  }

  /** max_ms elapsed: seal whatever is complete. Returns true when events remain open. */
  sealOnTimer(): boolean {
    this.sealAtBoundary();
    return this.open.length > 0;
  }

  /** On shutdown: seal complete transactions; a trailing partial transaction is dropped and replayed after restart. */
  flushComplete(): number {
    this.sealAtBoundary();
    const dropped = this.open.length;
    this.reset([], 0);
    return dropped;
  }

  private sealAtBoundary(): void {
    if (this.boundary === 0) return; // one transaction still in progress: let it grow
    if (this.boundary === this.open.length) {
      const events = this.open;
      const bytes = this.bytes;
      this.reset([], 0);
      this.onSeal({ events, bytes });
      return;
    }
    const events = this.open.slice(0, this.boundary);
    const bytes = this.boundaryBytes;
    this.reset(this.open.slice(this.boundary), this.bytes - bytes);
    this.onSeal({ events, bytes });
  }

  private reset(open: ChangeEvent[], bytes: number): void {
    this.open = open;
    this.bytes = bytes;
    this.boundary = this.limits.respectSourceTx ? 0 : open.length;
    this.boundaryBytes = this.limits.respectSourceTx ? 0 : bytes;
  }
}
