export { Retrier, type RetrierOptions, type RetryStep, type RunOptions } from './retrier.js';
export { retryAction, type RetryAction } from './retry-decision.js';
export { RetrySchedule, type FailureHint, type SchedulePolicy, type ScheduleStep } from './retry-schedule.js';
