export type ErrorKind = 'retryable' | 'non-retryable' | 'fatal' | 'poison';
export type Remedy = 'retry' | 'reconnect' | 'resnapshot' | 'dlq' | 'fix-config' | 'fatal';

export interface ErrorDefinition {
  readonly kind: ErrorKind;
  readonly remedy: Remedy;
  /** One line for docs/errors.md: what it means and how to solve it. */
  readonly help: string;
}
