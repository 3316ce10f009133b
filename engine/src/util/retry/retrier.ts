import type { ErrorCode, TidemarkError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { systemClock, type Clock } from '../clock.js';
import { retryAction, type RetryAction } from './retry-decision.js';
import { RetrySchedule, type FailureHint, type SchedulePolicy } from './retry-schedule.js';

export interface RetrierOptions {
  /** What is retried, as a log line starts: "sink kafka-1 delivery", "replication stream". */
  readonly what: string;
  /** Turns anything thrown into a classified error (the caller's error table). */
  readonly classify: (e: unknown) => TidemarkError;
  readonly policy: SchedulePolicy;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Extra fields on every log line (sink, slot, ...); a function is read when a line is written. */
  readonly fields?: LogFields | (() => LogFields);
}

type LogFields = Readonly<Record<string, unknown>>;

export type RetryStep =
  | { readonly action: Exclude<RetryAction, 'give-up'>; readonly error: TidemarkError; readonly attempt: number; readonly delayMs: number }
  | { readonly action: 'give-up'; readonly error: TidemarkError; readonly attempt: number; readonly reason: 'not-retryable' | 'attempts' | 'deadline' };

export interface RunOptions {
  /** Stops retrying: the last error is thrown once the signal aborts. */
  readonly signal?: AbortSignal;
  /** Clock time after which a failure is final. */
  readonly deadline?: number;
}

/**
 * The one way the engine retries: classify what was thrown, decide by its kind and remedy
 * (retry-decision.ts), back off with full jitter on the injected clock (retry-schedule.ts),
 * and log once per state change — the first failure, a different error, recovery, giving up —
 * rather than once per attempt (repeats go to debug).
 *
 * One instance per retried activity (a sink lane, a replication stream, a pipeline's restarts):
 * it remembers failures in a row until `succeeded()`.
 */
export class Retrier {
  private readonly schedule: RetrySchedule;
  private readonly clock: Clock;
  /** The error code being retried, or null while healthy. */
  private failingWith: ErrorCode | null = null;
  private failingSince = 0;

  constructor(private readonly options: RetrierOptions) {
    this.clock = options.clock ?? systemClock;
    this.schedule = new RetrySchedule(options.policy, options.random ?? Math.random);
  }

  /** True between a retried failure and the next success. */
  get failing(): boolean {
    return this.failingWith !== null;
  }

  /** Records a failed attempt and says what to do next. Never throws. */
  failed(thrown: unknown, hint: Omit<FailureHint, 'atLeastMs'> = {}): RetryStep {
    const error = this.options.classify(thrown);
    const action = retryAction(error);
    if (action === 'give-up') return this.giveUp(error, this.schedule.attempts + 1, 'not-retryable');
    const next = this.schedule.next(this.clock.now(), { ...hint, atLeastMs: retryAfterMs(error) });
    if (!next.retry) return this.giveUp(error, next.attempt, next.reason);
    const fields = { ...this.fields(), err: error, attempt: next.attempt, retryInMs: next.delayMs };
    const message = `${this.options.what} failed; ${action === 'reconnect' ? 'reconnecting' : 'retrying'}`;
    if (this.failingWith !== error.code) {
      if (this.failingWith === null) this.failingSince = this.clock.now();
      this.options.logger.warn(fields, message);
    } else {
      this.options.logger.debug(fields, message);
    }
    this.failingWith = error.code;
    return { action, error, attempt: next.attempt, delayMs: next.delayMs };
  }

  /** The activity works again: the next failure starts from the shortest delay. */
  succeeded(): void {
    if (this.failingWith !== null) {
      this.options.logger.info({ ...this.fields(), attempts: this.schedule.attempts + 1, downMs: this.clock.now() - this.failingSince }, `${this.options.what} recovered`);
    }
    this.failingWith = null;
    this.schedule.reset();
  }

  /** Sleeps the step's delay on the clock; resolves early when `signal` aborts. */
  wait(step: Extract<RetryStep, { delayMs: number }>, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(step.delayMs, signal);
  }

  /** Runs `attempt` until it succeeds; throws the classified error on giving up or on abort. */
  async run<T>(attempt: (n: number) => Promise<T>, options: RunOptions = {}): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        const result = await attempt(n);
        this.succeeded();
        return result;
      } catch (e) {
        const step = this.failed(e, options.deadline === undefined ? {} : { deadline: options.deadline });
        if (step.action === 'give-up' || options.signal?.aborted) throw step.error;
        await this.wait(step, options.signal);
        if (options.signal?.aborted) throw step.error;
      }
    }
  }

  private fields(): LogFields {
    const f = this.options.fields;
    return typeof f === 'function' ? f() : (f ?? {});
  }

  private giveUp(error: TidemarkError, attempt: number, reason: 'not-retryable' | 'attempts' | 'deadline'): RetryStep {
    const why = reason === 'not-retryable' ? `${error.kind}, remedy ${error.remedy}` : reason === 'attempts' ? `${attempt} attempts` : 'deadline passed';
    this.options.logger.error({ ...this.fields(), err: error, attempt }, `${this.options.what} failed; not retrying (${why})`);
    this.failingWith = null;
    this.schedule.reset();
    return { action: 'give-up', error, attempt, reason };
  }
}

/** `context.retryAfterMs` of an error, or 0: a sink may know better than our backoff. */
function retryAfterMs(error: TidemarkError): number {
  const v = error.context.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}
