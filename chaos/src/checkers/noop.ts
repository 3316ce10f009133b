import type { Checker, CheckerDef } from './checker.js';

const verdict = { checker: 'noop', validity: 'valid', summary: 'not checked', counts: {}, examples: [] } as const;

/** Jepsen's "unbridled optimism": always valid. Fills the checker slot when judging is not the point. */
export const noopChecker: Checker = {
  name: 'noop',
  check: () => [verdict],
};

export const noopDef: CheckerDef = { name: 'noop', verdicts: () => [verdict] };
