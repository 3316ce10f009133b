/** A client call that did not finish in time; classified as retryable (the sink is unreachable or slow). */
export class KafkaTimeoutError extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'KafkaTimeoutError';
  }
}

/**
 * Rejects with KafkaTimeoutError when `work` takes longer than `ms`. The work itself is not
 * cancelled: callers discard the client it runs on, so a late completion cannot interfere.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaTimeoutError(what, ms)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
