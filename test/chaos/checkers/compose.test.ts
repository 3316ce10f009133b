import { describe, expect, it } from 'vitest';
import { checkSafe, compose, createCheckers, mergeValidity, noopChecker, overallValidity, type Checker } from '../../../chaos/src/checkers/index.js';
import type { Validity, Verdict } from '../../../chaos/src/history/index.js';
import { healthyFacts, World } from './world.js';

const input = { source: new World().history(), sinks: [], faults: [], facts: healthyFacts([]) };

function fixed(name: string, validity: Validity): Checker {
  return { name, check: (): Verdict[] => [{ checker: name, validity, summary: validity, counts: {}, examples: [] }] };
}

const throwing: Checker = {
  name: 'broken',
  check: () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

describe('compose and check-safe', () => {
  it.each([
    [['valid', 'valid'], 'valid'],
    [['valid', 'unknown'], 'unknown'],
    [['unknown', 'invalid', 'valid'], 'invalid'],
    [[], 'valid'],
  ] as const)('merges %j as %s (invalid > unknown > valid)', (validities, merged) => {
    expect(mergeValidity(validities)).toBe(merged);
  });

  it('turns a throwing checker into an unknown verdict carrying the error', () => {
    const [v] = checkSafe(throwing).check(input);
    expect(v).toMatchObject({ checker: 'broken', validity: 'unknown', summary: 'checker threw: cannot read properties of undefined' });
    expect(String(v!.examples[0]!.stack)).toContain('TypeError');
  });

  it('keeps every verdict, in order, when one checker throws', () => {
    const verdicts = compose([fixed('a', 'valid'), throwing, fixed('c', 'invalid')]).check(input);
    expect(verdicts.map((v) => [v.checker, v.validity])).toEqual([['a', 'valid'], ['broken', 'unknown'], ['c', 'invalid']]);
    expect(overallValidity(verdicts)).toBe('invalid');
  });

  it('the no-op checker is always valid', () => {
    expect(overallValidity(noopChecker.check(input))).toBe('valid');
  });

  it('createCheckers builds the named checkers with the scenario expectation', () => {
    const facts = { ...healthyFacts([]), engine: { health: 503, pipelines: [{ name: 'p', status: 'failed', error: { code: 'X', message: 'position lost' } }] } };
    const checker = createCheckers(['expectation', 'lost'], { expect: { outcome: 'halted', code: 'X' } });
    const verdicts = checker.check({ ...input, facts });
    expect(verdicts.map((v) => [v.checker, v.validity])).toEqual([['expectation', 'valid']]);
    expect(createCheckers(['expectation']).check({ ...input, facts })[0]!.validity).toBe('invalid');
  });
});
