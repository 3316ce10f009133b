import type { Checker } from './checker.js';
import { compose } from './compose.js';
import { duplicatedChecker } from './duplicated.js';
import { expectationChecker, type Expectation } from './expectation.js';
import { lostChecker } from './lost.js';
import { phantomChecker } from './phantom.js';
import { reorderedChecker } from './reordered.js';
import { stalledChecker } from './stalled.js';
import { tornTransactionChecker } from './torn-transaction.js';
import { undecodableChecker } from './undecodable.js';

/** The names a scenario's `checkers:` list may use. */
export const CHECKER_NAMES = ['lost', 'duplicated', 'reordered', 'phantom', 'torn-transaction', 'stalled', 'expectation', 'undecodable'] as const;
export type CheckerName = (typeof CHECKER_NAMES)[number];

export interface CheckerOptions {
  /** What the scenario expects of the engine; `healthy` when not given. */
  readonly expect?: Expectation;
}

export function createChecker(name: CheckerName, options: CheckerOptions = {}): Checker {
  switch (name) {
    case 'lost':
      return lostChecker;
    case 'duplicated':
      return duplicatedChecker;
    case 'reordered':
      return reorderedChecker;
    case 'phantom':
      return phantomChecker;
    case 'torn-transaction':
      return tornTransactionChecker;
    case 'stalled':
      return stalledChecker;
    case 'expectation':
      return expectationChecker(options.expect ?? { outcome: 'healthy' });
    case 'undecodable':
      return undecodableChecker;
  }
}

/** The named checkers composed, each crash-safe: what a runner calls once per scenario × source. */
export function createCheckers(names: readonly CheckerName[], options: CheckerOptions = {}): Checker {
  return compose(names.map((n) => createChecker(n, options)));
}
