import type { ConfigProblem } from '../config/index.js';

export type ControlErrorReason = 'not-found' | 'exists' | 'name-mismatch' | 'invalid-spec' | 'invalid-state';

/**
 * A refused control-plane operation. The API maps `reason` to a status and the reference's
 * codes (PIPELINE_NOT_FOUND, PIPELINE_ALREADY_EXISTS, PIPELINE_NAME_MISMATCH, ...).
 */
export class ControlError extends Error {
  constructor(
    readonly reason: ControlErrorReason,
    message: string,
    readonly problems: readonly ConfigProblem[] = [],
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export function notFound(name: string): ControlError {
  return new ControlError('not-found', `pipeline ${name} not found`);
}
