import type { Checker, CheckerDef } from './checker.js';
import { duplicatedDef } from './duplicated.js';
import { expectationDef, type Expectation } from './expectation.js';
import { checkerOf } from './judge.js';
import { lostDef } from './lost.js';
import { phantomDef } from './phantom.js';
import { reorderedDef } from './reordered.js';
import { stalledDef } from './stalled.js';
import { stateDef } from './state.js';
import { leakDef } from './leak.js';
import { dlqDef } from './dlq.js';
import { tornTransactionDef } from './torn-transaction.js';
import { undecodableDef } from './undecodable.js';

/** The checkers that judge histories alone (what `createCheckers(CHECKER_NAMES)` runs anywhere). */
export const CHECKER_NAMES = ['lost', 'duplicated', 'reordered', 'phantom', 'torn-transaction', 'stalled', 'expectation', 'undecodable'] as const;

/**
 * Every name a scenario's `checkers:` list may use: the above; `state`, which also needs the
 * source tables as they were at the end (CheckInput.finalSource; the runner reads them when
 * listed); `leak`, which judges the engine memory a soak samples (RunFacts.engineMemory);
 * `dlq`, which needs the DLQ journal read as one more history (the runner reads it when listed).
 */
export const ALL_CHECKER_NAMES = [...CHECKER_NAMES, 'state', 'leak', 'dlq'] as const;
export type CheckerName = (typeof ALL_CHECKER_NAMES)[number];

export interface CheckerOptions {
  /** What the scenario expects of the engine; `healthy` when not given. */
  readonly expect?: Expectation;
}

/** The streaming definition of a named checker (what a Judge runs). */
export function checkerDef(name: CheckerName, options: CheckerOptions = {}): CheckerDef {
  switch (name) {
    case 'lost':
      return lostDef;
    case 'duplicated':
      return duplicatedDef as CheckerDef;
    case 'reordered':
      return reorderedDef as CheckerDef;
    case 'phantom':
      return phantomDef as CheckerDef;
    case 'torn-transaction':
      return tornTransactionDef as CheckerDef;
    case 'stalled':
      return stalledDef;
    case 'expectation':
      return expectationDef(options.expect ?? { outcome: 'healthy' });
    case 'state':
      return stateDef as CheckerDef;
    case 'leak':
      return leakDef;
    case 'dlq':
      return dlqDef;
    case 'undecodable':
      return undecodableDef as CheckerDef;
  }
}

export function createChecker(name: CheckerName, options: CheckerOptions = {}): Checker {
  return checkerOf(name, [checkerDef(name, options)]);
}

/** The named checkers over one pass of every history, each crash-safe: what a runner calls once per scenario × source. */
export function createCheckers(names: readonly CheckerName[], options: CheckerOptions = {}): Checker {
  return checkerOf('compose', names.map((n) => checkerDef(n, options)));
}
