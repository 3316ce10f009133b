/**
 * Fingerprints stand in for images at scale, so they must never be looser than `valuesEqual`
 * (equal fingerprints ⇒ equal values: otherwise a wrong image would pass unseen), and should
 * agree with it on the encodings sinks really produce (else every record takes the slow path).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valuesEqual } from '../../../chaos/src/checkers/index.js';
import { actualFingerprint, canonical, expectedFingerprint, shapeOf, SourceLog } from '../../../chaos/src/history/index.js';

const RUNS = Number(process.env.TIDEMARK_PROPERTY_RUNS ?? 300);

const leaf = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.constantFrom('12', '12.50', '-0.00', '1e3', '007', ' 5', '2024-01-02T03:04:05Z', '2024-01-02 03:04:05', '2024-01-02 05:04:05+02', '2024-01-02', '{"a":1}', '[1,2]', 'null', '12:34:56.5'),
);
const value = fc.oneof(leaf, fc.dictionary(fc.constantFrom('a', 'b', 'c'), leaf, { maxKeys: 3 }), fc.array(leaf, { maxLength: 3 }));

/** Encodings a sink may legitimately use for a value the workload wrote. */
function reencodings(v: unknown): unknown[] {
  const out: unknown[] = [v];
  if (typeof v === 'number' && Number.isFinite(v)) out.push(String(v), v.toFixed(2) === String(v) ? v : String(v));
  if (typeof v === 'boolean') out.push(v ? 1 : 0);
  if (typeof v === 'object' && v !== null) out.push(JSON.stringify(v), JSON.parse(JSON.stringify(v)) as unknown);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v)) out.push(v.replace('T', ' ').replace('Z', ''));
  return out;
}

/** A value close to `v` that may or may not be equal to it under the rules. */
function nearMiss(v: unknown, how: number): unknown {
  if (typeof v === 'number') return [-v, v + 1, v / 10, String(v), `${v}0`, `0${v}`][how % 6];
  if (typeof v === 'string') return [`${v}0`, v.toUpperCase(), v.replace(/\d/, '9'), v.replace('T', ' '), v.replace(/Z$/, '+01'), ` ${v}`, v.slice(1)][how % 7];
  if (Array.isArray(v)) return [[...v].reverse(), [...v, null], JSON.stringify(v)][how % 3];
  if (typeof v === 'object' && v !== null) return [{ ...v, extra: null }, JSON.stringify(v), Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nearMiss(x, how)]))][how % 3];
  return [null, 0, 1, 'true'][how % 4];
}

describe('fingerprints', () => {
  it('equal canonical forms imply valuesEqual (never looser than the rules)', () => {
    const pair = fc.oneof(fc.tuple(value, value), value.chain((e) => fc.nat().map((how) => [e, nearMiss(e, how)] as [unknown, unknown])));
    fc.assert(
      fc.property(pair, fc.boolean(), ([e, a], json) => {
        if (canonical(e, false) === canonical(a, json && typeof e === 'object' && e !== null)) expect(valuesEqual(e, a)).toBe(true);
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('an image and its faithful re-encodings have the same fingerprint', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('id', 'amount', 'doc', 'at', 'note'), value, { minKeys: 1 }), fc.nat(), (image, pick) => {
        const shape = shapeOf(image);
        const actual = Object.fromEntries(Object.entries(image).map(([k, v]) => { const r = reencodings(v); return [k, r[pick % r.length]]; }));
        expect(actualFingerprint(actual, shape)).toBe(expectedFingerprint(image, shape));
      }),
      { numRuns: RUNS },
    );
  });

  it('tells apart a changed value, an extra or missing column, and no image at all', () => {
    const image = { id: 1, amount: '12.50', doc: { n: 1, tags: ['a'] }, at: '2024-01-02T03:04:05.123456Z' };
    const shape = shapeOf(image);
    const fp = expectedFingerprint(image, shape);
    expect(actualFingerprint({ ...image, amount: '12.51' }, shape)).not.toBe(fp);
    expect(actualFingerprint({ ...image, doc: { n: 1, tags: ['b'] } }, shape)).not.toBe(fp);
    expect(actualFingerprint({ ...image, at: '2024-01-02T03:04:05.123Z' }, shape)).not.toBe(fp);
    expect(actualFingerprint({ id: 1, amount: '12.50', at: image.at }, shape)).not.toBe(fp);
    // Columns only the sink has are not judged; JSON text in a document column is parsed.
    expect(actualFingerprint({ ...image, extra: 5, doc: '{"tags":["a"],"n":1}' }, shape)).toBe(fp);
    expect(expectedFingerprint(null, shape)).toBe(0);
  });
});

describe('SourceLog', () => {
  it('gives back the plain history it was built from', () => {
    const history = {
      source: 'postgres' as const,
      database: 'db',
      primaryKeys: { t: ['id'] },
      columns: { t: ['id', 'v'] },
      schemaChanges: [],
      txns: [
        { id: 1, writer: 2, outcome: 'ok' as const, invokedAt: 10, completedAt: 11, versions: [{ table: 't', key: '{"id":1}', version: 1, op: 'c' as const, writer: 2, before: null, after: { id: 1, v: 'a' } }] },
        { id: 2, writer: 2, outcome: 'info' as const, resolution: 'committed' as const, error: 'lost', invokedAt: 12, completedAt: 13, versions: [{ table: 't', key: '{"id":1}', version: 1, op: 'd' as const, writer: 2, before: { id: 1, v: 'a' }, after: null }] },
      ],
    };
    const log = SourceLog.of(history);
    expect(log.toHistory()).toEqual(history);
    expect(log.acknowledged(1)).toBe(true);
    expect(log.ackTimes.length).toBe(2);
  });
});

describe('plainDecimal', () => {
  it('is numericText for every plain decimal, and declines anything else', async () => {
    const { plainDecimal } = await import('../../../chaos/src/history/fingerprint.js');
    const { numericText } = await import('../../../chaos/src/checkers/index.js');
    const decimal = fc.tuple(fc.boolean(), fc.stringMatching(/^\d{1,12}$/), fc.option(fc.stringMatching(/^\d{0,6}$/), { nil: undefined })).map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);
    fc.assert(
      fc.property(decimal, (d) => {
        const p = plainDecimal(d);
        if (p !== null) expect(p).toBe(numericText(d));
      }),
      { numRuns: RUNS * 10 },
    );
    for (const odd of ['1e3', '+5', ' 5', '.5', '5.', '1.2.3', '-', '12a']) expect(plainDecimal(odd)).toBeNull();
    expect(['0', '-0.00', '007', '12.50', '-12.5000', '100'].map(plainDecimal)).toEqual(['0', '0', '7', '12.5', '-12.5', '100']);
  });
});
