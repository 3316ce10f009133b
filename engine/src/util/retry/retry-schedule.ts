import { backoffDelay, type BackoffPolicy } from '../backoff.js';

export interface SchedulePolicy extends BackoffPolicy {
  /** No delay is shorter than this (e.g. a pipeline restart never spins). Default 0. */
  readonly floorMs?: number;
  /** Give up after this many failures in a row. Default: never. */
  readonly maxAttempts?: number;
}

export interface FailureHint {
  /** The failed side asked not to be called again sooner (HTTP Retry-After). */
  readonly atLeastMs?: number;
  /** Clock time after which no further attempt is made. */
  readonly deadline?: number;
}

export type ScheduleStep = { readonly retry: true; readonly attempt: number; readonly delayMs: number } | { readonly retry: false; readonly attempt: number; readonly reason: 'attempts' | 'deadline' };

/**
 * The pure part of retrying: counts failures in a row and turns each into the delay before the
 * next attempt — exponential backoff with full jitter (util/backoff.ts) over a seeded or real
 * random source, raised to the floor and to what the failure asked for — or into giving up
 * when the attempt or deadline limit is reached. `reset()` after a success starts over.
 */
export class RetrySchedule {
  private failures = 0;

  constructor(private readonly policy: SchedulePolicy, private readonly random: () => number = Math.random) {}

  /** Failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  /** One more failure, observed at clock time `now`. */
  next(now: number, hint: FailureHint = {}): ScheduleStep {
    const attempt = ++this.failures;
    if (this.policy.maxAttempts !== undefined && attempt >= this.policy.maxAttempts) return { retry: false, attempt, reason: 'attempts' };
    if (hint.deadline !== undefined && now >= hint.deadline) return { retry: false, attempt, reason: 'deadline' };
    const jittered = backoffDelay(attempt - 1, this.policy, this.random);
    return { retry: true, attempt, delayMs: Math.max(jittered, this.policy.floorMs ?? 0, hint.atLeastMs ?? 0) };
  }

  reset(): void {
    this.failures = 0;
  }
}
