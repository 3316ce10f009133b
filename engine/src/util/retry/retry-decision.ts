import type { TidemarkError } from '../../errors/index.js';

/**
 * What to do about a failed attempt:
 *   retry      try the same operation again after backing off;
 *   reconnect  the connection is suspect: open a new one, then try again after backing off;
 *   give-up    no retry can fix it; report the error.
 */
export type RetryAction = 'retry' | 'reconnect' | 'give-up';

/**
 * Decides from the error's `kind` (how the engine reacts, as classified where it was caught)
 * and its `remedy` (what fixes it, from the error registry). Only a retryable error whose
 * remedy a retry can bring about is retried: a retryable-classified error whose remedy is
 * `resnapshot`, `fix-config`, `dlq` or `fatal` would loop for ever, so it is given up too.
 */
export function retryAction(error: Pick<TidemarkError, 'kind' | 'remedy'>): RetryAction {
  if (error.kind !== 'retryable') return 'give-up';
  if (error.remedy === 'retry') return 'retry';
  if (error.remedy === 'reconnect') return 'reconnect';
  return 'give-up';
}
