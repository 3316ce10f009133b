import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageDiff, numericText, timestampText, valuesEqual } from '../../../chaos/src/checkers/index.js';

describe('normalisation', () => {
  it.each([
    ['12.50', 12.5],
    ['12.50', '12.5'],
    [12, '12'],
    ['-0.00', 0],
    ['0012', 12],
    ['1e3', 1000],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [true, 1],
    [false, '0'],
    ['2024-01-02T03:04:05Z', '2024-01-02 03:04:05'],
    ['2024-01-02T03:04:05.120Z', '2024-01-02 03:04:05.12'],
    ['2024-01-02T03:04:05.123456Z', '2024-01-02 05:04:05.123456+02'],
    ['2024-01-02T03:04:05Z', '2024-01-01T22:04:05-05:00'],
    [{ a: 1, b: [1, { c: '2.0' }] }, { b: [1, { c: 2 }], a: 1 }],
    [{ a: 1, b: 2 }, '{"b": 2, "a": 1}'],
    [null, undefined],
  ])('%j equals %j', (a, b) => {
    expect(valuesEqual(a, b)).toBe(true);
    expect(valuesEqual(b, a)).toBe(true);
  });

  it.each([
    ['12345678901234567.89', 12345678901234568],
    ['12.5', '12.51'],
    ['1', '-1'],
    ['abc', 'abd'],
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:06Z'],
    ['2024-01-02T03:04:05.1Z', '2024-01-02T03:04:05.100001Z'],
    [{ a: 1 }, { a: 1, b: null }],
    [{ a: 1 }, '{"a": 2}'],
    [{ a: 1 }, 'not json'],
    [[1, 2], [2, 1]],
    [null, 0],
    ['x', null],
  ])('%j differs from %j', (a, b) => {
    expect(valuesEqual(a, b)).toBe(false);
    expect(valuesEqual(b, a)).toBe(false);
  });

  it('canonical decimal text is the same for a number and its decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (n, scale) => {
        const text = (n / 10 ** scale).toFixed(scale);
        expect(numericText(text)).toBe(numericText(Number(text)));
      }),
    );
  });

  it('non-numbers have no numeric text', () => {
    for (const v of ['', '.', '-', '1.2.3', 'NaN', '0x10', {}, null]) expect(numericText(v)).toBeNull();
    expect(timestampText('2024-01-02')).toBeNull();
  });

  it('imageDiff names the first differing column and ignores columns only the sink has', () => {
    expect(imageDiff({ id: 1, amount: '2.50' }, { id: '1', amount: 2.5, added_by_ddl: 'x' })).toBeNull();
    expect(imageDiff({ id: 1, amount: '2.50' }, { id: 1, amount: '2.49' })).toEqual({ column: 'amount', expected: '2.50', actual: '2.49' });
    expect(imageDiff({ id: 1 }, null)).toEqual({ column: '(image)', expected: 'a row', actual: null });
    expect(imageDiff(null, null)).toBeNull();
  });
});
