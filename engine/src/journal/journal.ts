import type { JournalSpec } from '../config/index.js';
import type { DeadLetterQueue } from '../coordinator/dead-letter.js';
import { TidemarkError } from '../errors/index.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { PoisonedEvent } from '../sinks/sink.js';
import { systemClock, type Clock } from '../util/clock.js';
import { buildEntry, type DlqEntry, type NewDlqEntry } from './entry.js';
import { NOOP_JOURNAL_METRICS, type JournalMetrics } from './metrics.js';
import type { JournalStore, PeekFilter } from './store.js';

export interface JournalOptions {
  readonly pipeline: string;
  readonly spec: JournalSpec;
  readonly logger?: Logger;
  readonly metrics?: JournalMetrics;
  readonly clock?: Clock;
  /** How often a write blocked by overflow_policy block looks for room (acks also wake it). */
  readonly blockPollMs?: number;
  /** Age-based cleanup period; the reference runs it every 60 s. */
  readonly cleanupIntervalMs?: number;
  /** Called once when the journal closes (the open-journal cache forgets it). */
  readonly onClose?: () => void;
}

export interface JournalStatus {
  readonly entries: number;
  readonly maxEntries: number;
  readonly saturation: number;
  /** A write is waiting for room (overflow_policy block): the pipeline is degraded. */
  readonly blocked: boolean;
  /** Poison events not stored since the journal opened because it was full (overflow_policy reject): lost. */
  readonly rejected: number;
  /** TIDEMARK_ERR_DLQ_FULL describing the latest refusal (reject) or the wait in progress (block); null otherwise. */
  readonly full: TidemarkError | null;
}

const WARN_AT = 0.8;
const ERROR_AT = 0.95;

/**
 * The bounded dead-letter queue of one pipeline: where poison events go so their neighbours can
 * be delivered. Entries are only ever removed by an operator (ack/purge), by age, or by
 * drop_oldest; the write under overflow_policy block waits, which stalls the sink's lane and so
 * the pipeline until someone acks.
 */
export class DeadLetterJournal implements DeadLetterQueue {
  private spec: JournalSpec;
  private readonly logger: Logger;
  private readonly metrics: JournalMetrics;
  private readonly clock: Clock;
  private readonly blockPollMs: number;
  private cleanupTimer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  private blockedWrites = 0;
  private rejectedTotal = 0;
  private lastRejection: TidemarkError | null = null;
  private blockedBy: TidemarkError | null = null;
  private level = 0;
  private closed = false;

  constructor(private readonly store: JournalStore, private readonly options: JournalOptions) {
    this.spec = options.spec;
    this.logger = options.logger ?? silentLogger();
    this.metrics = options.metrics ?? NOOP_JOURNAL_METRICS;
    this.clock = options.clock ?? systemClock;
    this.blockPollMs = options.blockPollMs ?? 1000;
  }

  get path(): string {
    return this.store.path;
  }

  /** Startup cleanup, then every cleanupIntervalMs. */
  start(): void {
    if (this.cleanupTimer || this.closed) return;
    this.cleanupSafely();
    this.cleanupTimer = setInterval(() => this.cleanupSafely(), this.options.cleanupIntervalMs ?? 60_000);
    this.cleanupTimer.unref();
  }

  /** A restarted pipeline may come with new bounds. */
  reconfigure(spec: JournalSpec): void {
    this.spec = spec;
    this.report();
    this.wake();
  }

  async write(sinkId: string, batchSeq: number, poisoned: readonly PoisonedEvent[]): Promise<void> {
    if (poisoned.length === 0) return;
    this.assertOpen();
    const now = this.clock.now();
    const entries = poisoned.map((p) => buildEntry(this.options.pipeline, sinkId, batchSeq, p, now, this.spec.max_event_bytes));
    for (const [kind, n] of countBy(entries, (e) => e.meta.error_kind)) this.metrics.routed(sinkId, kind, n);
    try {
      switch (this.spec.dlq.overflow_policy) {
        case 'drop_oldest':
          this.insertDroppingOldest(entries, now);
          break;
        case 'reject':
          this.insertRejectingOverflow(entries, now);
          break;
        case 'block':
          await this.insertWhenRoom(entries);
          break;
      }
    } catch (e) {
      if (!(e instanceof TidemarkError && e.code === 'TIDEMARK_ERR_DLQ_CLOSED')) this.metrics.writeFailed();
      throw e;
    } finally {
      this.report();
    }
  }

  /** Oldest first. Filters only narrow the listing; ack stays cumulative from the head. */
  async peek(filter: PeekFilter = {}): Promise<DlqEntry[]> {
    return this.store.peek(filter);
  }

  async count(): Promise<number> {
    return this.store.count();
  }

  /** Removes every entry with seq <= upToSeq, whatever its sink or kind; returns how many. */
  async ack(upToSeq: number): Promise<number> {
    const n = this.store.ackUpTo(upToSeq);
    this.afterRemoval();
    return n;
  }

  async purge(): Promise<number> {
    const n = this.store.purge();
    this.afterRemoval();
    return n;
  }

  /** Removes entries older than max_age_secs (by insertion time); returns how many. */
  cleanup(): number {
    const n = this.store.expireBefore(this.clock.now() - this.spec.dlq.max_age_secs * 1000);
    if (n > 0) this.logger.info({ pipeline: this.options.pipeline, removed: n, maxAgeSecs: this.spec.dlq.max_age_secs }, 'DLQ entries expired');
    this.afterRemoval();
    return n;
  }

  status(): JournalStatus {
    const entries = this.closed ? 0 : this.store.count();
    const maxEntries = this.spec.dlq.max_entries;
    const blocked = this.blockedWrites > 0;
    return { entries, maxEntries, saturation: Math.min(1, entries / maxEntries), blocked, rejected: this.rejectedTotal, full: (blocked ? this.blockedBy : null) ?? this.lastRejection };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    this.wake();
    this.store.close();
    this.options.onClose?.();
  }

  private insertDroppingOldest(entries: NewDlqEntry[], now: number): void {
    const max = this.spec.dlq.max_entries;
    // More new entries than the queue holds: only the newest fit, the rest count as evicted.
    const keep = entries.slice(-max);
    const dropped = entries.length - keep.length;
    this.store.insert(keep, now);
    const evicted = this.store.dropOldest(this.store.count() - max) + dropped;
    if (evicted > 0) {
      this.metrics.evicted(evicted);
      this.logger.warn({ pipeline: this.options.pipeline, evicted, maxEntries: max }, 'DLQ full: oldest entries evicted (overflow_policy drop_oldest)');
    }
  }

  private insertRejectingOverflow(entries: NewDlqEntry[], now: number): void {
    const room = Math.max(0, this.spec.dlq.max_entries - this.store.count());
    const accepted = entries.slice(0, room);
    const rejected = entries.slice(room);
    if (accepted.length > 0) this.store.insert(accepted, now);
    if (rejected.length > 0) {
      this.rejectedTotal += rejected.length;
      this.metrics.rejected(rejected.length);
      const sink = rejected[0]!.meta.sink_id;
      this.lastRejection = this.fullError(`DLQ of pipeline ${this.options.pipeline} is full (${this.spec.dlq.max_entries} entries, overflow_policy reject): ${rejected.length} poison events from sink ${sink} were not stored and are lost (${this.rejectedTotal} since the journal opened); ack or purge entries to make room`, { sink, rejected: rejected.length, rejectedTotal: this.rejectedTotal });
      this.logger.error({ pipeline: this.options.pipeline, rejected: rejected.length, events: rejected.slice(0, 10).map((e) => e.event_id), sink, err: this.lastRejection }, 'DLQ full: poison events rejected and lost (overflow_policy reject); ack DLQ entries to make room');
    }
  }

  private async insertWhenRoom(entries: NewDlqEntry[]): Promise<void> {
    let waited = false;
    try {
      let i = 0;
      while (i < entries.length) {
        const room = this.spec.dlq.max_entries - this.store.count();
        if (room <= 0) {
          if (!waited) this.enterBlocked(entries[i]!);
          waited = true;
          await this.waitForRoom();
          continue;
        }
        const chunk = entries.slice(i, i + room);
        // Stamped when stored, not when the wait began: age counts from insertion.
        this.store.insert(chunk, this.clock.now());
        i += chunk.length;
      }
    } finally {
      if (waited) this.leaveBlocked();
    }
  }

  private enterBlocked(next: NewDlqEntry): void {
    if (this.blockedWrites++ > 0) return;
    this.metrics.blocked(true);
    const sink = next.meta.sink_id;
    this.blockedBy = this.fullError(`DLQ of pipeline ${this.options.pipeline} is full (${this.spec.dlq.max_entries} entries, overflow_policy block): sink ${sink} waits until entries are acked or purged`, { sink });
    this.logger.error(
      { pipeline: this.options.pipeline, sink, event: next.event_id, maxEntries: this.spec.dlq.max_entries, err: this.blockedBy },
      'DLQ full (overflow_policy block): the pipeline is blocked until DLQ entries are acked or purged',
    );
  }

  private leaveBlocked(): void {
    if (--this.blockedWrites > 0) return;
    this.blockedBy = null;
    this.metrics.blocked(false);
    if (!this.closed) this.logger.info({ pipeline: this.options.pipeline }, 'DLQ has room again: pipeline unblocked');
  }

  /** Until an ack, purge or cleanup wakes us, or the next poll. */
  private async waitForRoom(): Promise<void> {
    const abort = new AbortController();
    await Promise.race([this.clock.sleep(this.blockPollMs, abort.signal), new Promise<void>((r) => this.waiters.push(r))]);
    abort.abort();
    this.assertOpen();
  }

  private afterRemoval(): void {
    this.report();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private report(): void {
    if (this.closed) return;
    const { entries, saturation } = this.status();
    this.metrics.entries(entries);
    this.metrics.saturation(saturation);
    const level = saturation >= ERROR_AT ? 2 : saturation >= WARN_AT ? 1 : 0;
    if (level > this.level) {
      const fields = { pipeline: this.options.pipeline, entries, maxEntries: this.spec.dlq.max_entries, saturation };
      if (level === 2) this.logger.error(fields, 'DLQ at 95% of max_entries or more: inspect and ack entries');
      else this.logger.warn(fields, 'DLQ at 80% of max_entries or more');
    }
    this.level = level;
  }

  private cleanupSafely(): void {
    try {
      this.cleanup();
    } catch (e) {
      this.metrics.writeFailed();
      this.logger.warn({ pipeline: this.options.pipeline, err: e }, 'DLQ age cleanup failed; retried on the next pass');
    }
  }

  private fullError(message: string, context: Record<string, string | number>): TidemarkError {
    return new TidemarkError('TIDEMARK_ERR_DLQ_FULL', message, { context: { pipeline: this.options.pipeline, maxEntries: this.spec.dlq.max_entries, ...context } });
  }

  private assertOpen(): void {
    if (this.closed) throw new TidemarkError('TIDEMARK_ERR_DLQ_CLOSED', `DLQ journal of pipeline ${this.options.pipeline} is closed`, { context: { pipeline: this.options.pipeline } });
  }
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}
