import type { Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';

/**
 * Jepsen's check-safe: a checker that throws yields one `unknown` verdict carrying the error,
 * so one broken checker never hides the others' verdicts or crashes the run.
 */
export function checkSafe(checker: Checker): Checker {
  return {
    name: checker.name,
    check(input: CheckInput): Verdict[] {
      try {
        return checker.check(input);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        return [
          {
            checker: checker.name,
            validity: 'unknown',
            summary: `checker threw: ${error.message}`,
            counts: {},
            examples: [{ error: error.message, stack: error.stack?.split('\n').slice(0, 4).join('\n') }],
          },
        ];
      }
    },
  };
}

/**
 * Runs every checker (each wrapped in checkSafe) and returns all their verdicts in order;
 * merge them with `overallValidity` (invalid > unknown > valid).
 */
export function compose(checkers: readonly Checker[], name = 'compose'): Checker {
  const safe = checkers.map(checkSafe);
  return {
    name,
    check: (input) => safe.flatMap((c) => c.check(input)),
  };
}
