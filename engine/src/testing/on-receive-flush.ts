import type { Lsn } from '../sources/postgres/lsn.js';
import { FlushTracker, type FlushPolicyFactory } from '../sources/postgres/stream/flush-tracker.js';

/**
 * Test only: the acknowledgement of client libraries such as pg-logical-replication — flush =
 * the last LSN received, confirmed after every commit whatever the sinks stored — so a crash
 * test can show the loss it causes. Plugged into PostgresSource through its `flushPolicy`
 * option; no pipeline setting reaches it.
 */
class OnReceiveFlush extends FlushTracker {
  onData(walStart: Lsn, tag: string): boolean {
    this.received(walStart);
    return tag === 'commit';
  }

  override flushLsn(): Lsn {
    this.advance(this.receivedLsn);
    return this.flushed;
  }
}

export const onReceiveFlush: FlushPolicyFactory = (floor) => new OnReceiveFlush(floor);
