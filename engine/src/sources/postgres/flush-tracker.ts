import { maxLsn, type Lsn } from './lsn.js';
import { compareKeys, flushLsnOf, type PositionKey } from './position.js';

/**
 * `checkpoint` (the only mode the config can select): flush = what the durable checkpoint
 * covers. `on-receive` reproduces pg-logical-replication's behaviour (flush = the last LSN
 * received) so a test can show the loss it causes; it is reachable only through a constructor
 * option.
 */
export type AckMode = 'checkpoint' | 'on-receive';

/**
 * Decides the flush LSN of every standby status update. It only moves forward, and in
 * `checkpoint` mode it never passes what the coordinator acknowledged, except when *every*
 * emitted event is acknowledged: then the stream boundary (end of the last transaction or
 * keepalive received) may be confirmed, because everything before it was either delivered or
 * held nothing for us. Without that, a slot on a database busy with other tables would keep
 * WAL forever.
 */
export class FlushTracker {
  private acked: PositionKey | null = null;
  private flushed: Lsn;
  private receivedLsn: Lsn = 0n;

  /** `floor`: the slot's confirmed_flush_lsn at connect; reporting less would mean nothing. */
  constructor(private readonly mode: AckMode, floor: Lsn) {
    this.flushed = floor;
  }

  /** The minimum durable checkpoint moved. Returns true when the flush LSN advanced. */
  acknowledge(key: PositionKey): boolean {
    if (this.acked === null || compareKeys(key, this.acked) > 0) this.acked = key;
    return this.advance(flushLsnOf(key));
  }

  /** Any LSN the server sent (XLogData start, keepalive end). */
  received(lsn: Lsn): void {
    if (lsn > this.receivedLsn) this.receivedLsn = lsn;
  }

  get written(): Lsn {
    return maxLsn(this.receivedLsn, this.flushed);
  }

  /**
   * The flush LSN to report now. `lastEmitted` is the newest emitted event's key (null if none
   * this process), `boundary` the newest transaction end or keepalive received.
   */
  flushLsn(lastEmitted: PositionKey | null, boundary: Lsn): Lsn {
    if (this.mode === 'on-receive') this.advance(this.receivedLsn);
    else if (boundary > this.flushed && this.allAcknowledged(lastEmitted)) this.advance(boundary);
    return this.flushed;
  }

  private allAcknowledged(lastEmitted: PositionKey | null): boolean {
    if (lastEmitted === null) return true;
    return this.acked !== null && compareKeys(lastEmitted, this.acked) <= 0;
  }

  private advance(lsn: Lsn): boolean {
    if (lsn <= this.flushed) return false;
    this.flushed = lsn;
    return true;
  }
}
