/**
 * Schema sensing invariants (engine/src/schema/sensing): the inferred schema depends on which
 * rows were seen, not on their order nor on the structure cache; every row it saw validates
 * against its JSON Schema export (checked with Ajv); values that fit the source's column types
 * never count as drift, and one value of another kind always does.
 */
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../../engine/src/schema/event-schema.js';
import { SchemaSensor, TableSensor } from '../../../../engine/src/schema/sensing/index.js';
import { rowEvent, settings, sourceSchema, spec } from './events.js';

const RUNS = Number(process.env.TIDEMARK_PROPERTY_RUNS ?? 300);
const KEY = fc.constantFrom('a', 'b', 'c', 'id', 'meta', 'x_y');

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(KEY, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const rows = fc.array(fc.dictionary(KEY, json, { maxKeys: 5 }), { minLength: 1, maxLength: 25 });

function fingerprint(rs: ReadonlyArray<Record<string, unknown>>, cache: boolean): string {
  const t = new TableSensor('db.t', settings({ deep_inspect: { max_depth: 8 }, sampling: { warmup_events: 1000, sample_rate: 1, structure_cache: cache, structure_cache_size: 3 }, high_cardinality: { enabled: false } }));
  rs.forEach((r, i) => t.observe(rowEvent(r), r, i));
  return t.version!.fingerprint;
}

describe('schema sensing properties', () => {
  it('the inferred schema does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(rows.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))), ([rs, shuffled]) => {
        expect(fingerprint(shuffled, false)).toBe(fingerprint(rs, false));
      }),
      { numRuns: RUNS },
    );
  });

  it('the structure cache never changes the inferred schema', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        expect(fingerprint(rs, true)).toBe(fingerprint(rs, false));
      }),
      { numRuns: RUNS },
    );
  });

  it('every row sensing saw validates against the JSON Schema it exports', () => {
    const ajv = new Ajv({ strict: false });
    fc.assert(
      fc.property(rows, (rs) => {
        const sensor = new SchemaSensor(spec({ deep_inspect: { max_depth: 8 }, sampling: { warmup_events: 1000, sample_rate: 1 }, high_cardinality: { enabled: false } }));
        for (const r of rs) sensor.observe(rowEvent(r));
        const validate = ajv.compile(sensor.jsonSchema('shop.orders')!);
        for (const r of rs) expect(validate(r), `${JSON.stringify(r)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  /** Column types and values the sources render for them (engine/src/schema/event-schema.ts). */
  const TYPED: Array<[ColumnType, fc.Arbitrary<unknown>]> = [
    [{ kind: 'boolean' }, fc.boolean()],
    [{ kind: 'int32' }, fc.integer()],
    [{ kind: 'int64' }, fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String))],
    [{ kind: 'float64' }, fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('NaN', 'Infinity', '-Infinity'))],
    [{ kind: 'decimal', precision: 10, scale: 2 }, fc.integer().map((n) => (n / 100).toFixed(2))],
    [{ kind: 'date' }, fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))],
    [{ kind: 'enum', symbols: ['a', 'b'] }, fc.constantFrom('a', 'b')],
    [{ kind: 'array', items: { kind: 'int32' } }, fc.array(fc.option(fc.integer(), { nil: null }))],
    [{ kind: 'json' }, json.map((v) => v ?? {})],
  ];
  const columns = fc.uniqueArray(fc.integer({ min: 0, max: TYPED.length - 1 }), { minLength: 1, maxLength: TYPED.length });
  const wrongKind = (type: ColumnType): fc.Arbitrary<unknown> => {
    switch (type.kind) {
      case 'boolean':
        return fc.integer();
      case 'enum':
        return fc.constantFrom('c', 'z');
      case 'json':
        return fc.constant(undefined);
      default:
        return fc.record({ k: fc.integer() });
    }
  };

  it('values that fit the declared types are never drift; one value of another kind always is', () => {
    fc.assert(
      fc.property(
        columns.chain((idx) => fc.tuple(fc.constant(idx), fc.array(fc.tuple(...idx.map((i) => TYPED[i]![1])), { minLength: 1, maxLength: 10 }), fc.nat(idx.length - 1))),
        fc.nat(),
        ([idx, values, broken], pick) => {
          const schema = sourceSchema(Object.fromEntries(idx.map((i) => [`c${i}`, [TYPED[i]![0].kind, TYPED[i]![0], false]])));
          const sensor = new SchemaSensor(spec({ sampling: { warmup_events: 1000, sample_rate: 1 }, high_cardinality: { enabled: false } }));
          const row = (vs: unknown[]) => Object.fromEntries(idx.map((i, j) => [`c${i}`, vs[j]]));
          for (const vs of values) sensor.observe(rowEvent(row(vs), { schema }));
          expect(sensor.driftOf('orders')!.has_drift).toBe(false);
          const type = TYPED[idx[broken]!]![0];
          if (type.kind === 'json') return;
          const bad = [...values[pick % values.length]!];
          bad[broken] = fc.sample(wrongKind(type), { numRuns: 1, seed: pick })[0];
          sensor.observe(rowEvent(row(bad), { schema }));
          expect(sensor.driftOf('orders')!.columns).toEqual([expect.objectContaining({ column: `c${idx[broken]}`, drift_types: ['type_mismatch'], mismatch_count: 1 })]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
