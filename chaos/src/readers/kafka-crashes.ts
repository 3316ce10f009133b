/**
 * What a chaos Kafka consumer (the one-shot reader and the live tail) makes of kafkajs's CRASH
 * event. After a retriable error — the group coordinator still loading on a fresh broker, a broker
 * killed and restarted — kafkajs restarts the consumer itself (`restart: true`), which rejoins the
 * group and fetches again; both consumers key what they found by offset, so a re-fetch adds
 * nothing twice. Only a crash kafkajs does not restart from is final. Treating every crash as
 * final failed a whole read on "The coordinator is loading and hence can't process requests for
 * this group" in a CI run, on a broker just started.
 */
export class ConsumerCrashes {
  private finalError: Error | null = null;
  private restartCount = 0;

  /** `maxRestarts`: give up after this many restarts without a successful group join in between (a broker that never recovers). */
  constructor(private readonly maxRestarts = 20) {}

  /** Feed it the CRASH payload. Returns true when kafkajs is restarting the consumer. */
  crashed(payload: { error: Error; restart: boolean }): boolean {
    if (payload.restart && this.restartCount < this.maxRestarts) {
      this.restartCount++;
      return true;
    }
    const suffix = payload.restart ? ` (after ${this.restartCount} restarts)` : '';
    this.finalError = new Error(`${payload.error.message}${suffix}`);
    return false;
  }

  /** Feed it GROUP_JOIN: the consumer runs again, so a later crash starts a new count. */
  joined(): void {
    this.restartCount = 0;
  }

  /** The crash to report, or null while the consumer is running or restarting. */
  get final(): Error | null {
    return this.finalError;
  }

  get restarts(): number {
    return this.restartCount;
  }
}
