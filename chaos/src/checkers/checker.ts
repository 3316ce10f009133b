import type { FaultEvent, SinkHistory, SourceHistory, Validity, Verdict } from '../history/index.js';
import type { RunFacts } from './run-facts.js';

/** Everything a checker may look at. Checkers are pure: no I/O, no clock, no randomness. */
export interface CheckInput {
  readonly source: SourceHistory;
  /** One history per sink, and for Kafka one per isolation level read. */
  readonly sinks: readonly SinkHistory[];
  readonly faults: readonly FaultEvent[];
  readonly facts: RunFacts;
}

/**
 * Judges one aspect of a run. Returns one verdict per sink history it applies to (or one for
 * the whole run). It may throw; `checkSafe` turns that into an `unknown` verdict.
 */
export interface Checker {
  readonly name: string;
  check(input: CheckInput): Verdict[];
}

/** Jepsen's merge order: one invalid verdict makes the whole invalid; else one unknown does. */
export function mergeValidity(validities: Iterable<Validity>): Validity {
  let merged: Validity = 'valid';
  for (const v of validities) {
    if (v === 'invalid') return 'invalid';
    if (v === 'unknown') merged = 'unknown';
  }
  return merged;
}

/** The overall validity of a list of verdicts (valid when empty). */
export function overallValidity(verdicts: readonly Verdict[]): Validity {
  return mergeValidity(verdicts.map((v) => v.validity));
}
