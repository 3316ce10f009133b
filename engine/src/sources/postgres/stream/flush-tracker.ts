import { maxLsn, type Lsn } from '../lsn.js';
import { compareKeys, flushLsnOf, type PositionKey } from '../position.js';

/**
 * What a replication session asks about the flush LSN it reports in standby status updates.
 * The engine has one implementation, FlushTracker; the seam exists so a test can plug in the
 * unsafe acknowledgement of client libraries (engine/src/testing/on-receive-flush.ts) and show
 * the loss it causes.
 */
export interface FlushPolicy {
  /** The minimum durable checkpoint moved. Returns true when the flush LSN advanced. */
  acknowledge(key: PositionKey): boolean;
  /** A keepalive's WAL end. */
  received(lsn: Lsn): void;
  /** An XLogData message arrived (before it is decoded); true asks for a status update after it. */
  onData?(walStart: Lsn, tag: string): boolean;
  readonly written: Lsn;
  /**
   * The flush LSN to report now. `lastEmitted` is the newest emitted event's key (null if none
   * this process), `boundary` the newest transaction end or keepalive received.
   */
  flushLsn(lastEmitted: PositionKey | null, boundary: Lsn): Lsn;
}

/** Builds the policy of a slot generation; `floor` is the slot's confirmed_flush_lsn at connect. */
export type FlushPolicyFactory = (floor: Lsn) => FlushPolicy;

/**
 * Flush = what the durable checkpoint covers. It only moves forward and never passes what the
 * coordinator acknowledged, except when *every* emitted event is acknowledged: then the stream
 * boundary (end of the last transaction or keepalive received) may be confirmed, because
 * everything before it was either delivered or held nothing for us. Without that, a slot on a
 * database busy with other tables would keep WAL forever.
 */
export class FlushTracker implements FlushPolicy {
  private acked: PositionKey | null = null;
  protected flushed: Lsn;
  protected receivedLsn: Lsn = 0n;

  /** `floor`: the slot's confirmed_flush_lsn at connect; reporting less would mean nothing. */
  constructor(floor: Lsn) {
    this.flushed = floor;
  }

  acknowledge(key: PositionKey): boolean {
    if (this.acked === null || compareKeys(key, this.acked) > 0) this.acked = key;
    return this.advance(flushLsnOf(key));
  }

  received(lsn: Lsn): void {
    if (lsn > this.receivedLsn) this.receivedLsn = lsn;
  }

  get written(): Lsn {
    return maxLsn(this.receivedLsn, this.flushed);
  }

  flushLsn(lastEmitted: PositionKey | null, boundary: Lsn): Lsn {
    if (boundary > this.flushed && this.allAcknowledged(lastEmitted)) this.advance(boundary);
    return this.flushed;
  }

  private allAcknowledged(lastEmitted: PositionKey | null): boolean {
    if (lastEmitted === null) return true;
    return this.acked !== null && compareKeys(lastEmitted, this.acked) <= 0;
  }

  protected advance(lsn: Lsn): boolean {
    if (lsn <= this.flushed) return false;
    this.flushed = lsn;
    return true;
  }
}

export const checkpointFlush: FlushPolicyFactory = (floor) => new FlushTracker(floor);
