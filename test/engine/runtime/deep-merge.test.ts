import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepMerge } from '../../../engine/src/runtime/index.js';

const json = fc.jsonValue({ maxDepth: 4 });
const object = fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__'), json, { maxKeys: 5 });
/** A patch without nulls: RFC 7396's null means "remove". */
const patchNoNull = fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('null')), { maxKeys: 4 });

describe('deepMerge (PATCH semantics)', () => {
  it('merges objects recursively, keeps untouched fields, replaces scalars', () => {
    const base = { spec: { batch: { max_events: 500, max_ms: 1000 }, source: { id: 's' } }, metadata: { name: 'p' } };
    expect(deepMerge(base, { spec: { batch: { max_events: 1000 } } })).toEqual({ spec: { batch: { max_events: 1000, max_ms: 1000 }, source: { id: 's' } }, metadata: { name: 'p' } });
  });

  it('merges arrays element by element, appends beyond the end, and null removes', () => {
    const base = { sinks: [{ config: { id: 'a', topic: 't1' } }, { config: { id: 'b', topic: 't2' } }] };
    expect(deepMerge(base, { sinks: [{ config: { topic: 'x' } }] })).toEqual({ sinks: [{ config: { id: 'a', topic: 'x' } }, { config: { id: 'b', topic: 't2' } }] });
    expect(deepMerge(base, { sinks: [{}, null] })).toEqual({ sinks: [{ config: { id: 'a', topic: 't1' } }] });
    expect(deepMerge(base, { sinks: [{}, {}, { config: { id: 'c' } }] })).toEqual({ sinks: [...base.sinks, { config: { id: 'c' } }] });
    expect(deepMerge({ a: 1, b: 2 }, { b: null })).toEqual({ a: 1 });
  });

  it('never mutates its inputs', () => {
    fc.assert(
      fc.property(object, object, (base, patch) => {
        const b = structuredClone(base);
        const p = structuredClone(patch);
        deepMerge(base, patch);
        expect(base).toEqual(b);
        expect(patch).toEqual(p);
      }),
    );
  });

  it('an empty patch is the identity, and applying the same null-free patch twice changes nothing more', () => {
    fc.assert(
      fc.property(object, patchNoNull, (base, patch) => {
        expect(deepMerge(base, {})).toEqual(base);
        const once = deepMerge(base, patch);
        expect(deepMerge(once, patch)).toEqual(once);
      }),
    );
  });

  it('every key of a null-free object patch ends up with the patched value at the top level when not both objects', () => {
    fc.assert(
      fc.property(object, patchNoNull, (base, patch) => {
        const merged = deepMerge(base, patch) as Record<string, unknown>;
        for (const [k, v] of Object.entries(patch)) {
          const bothObjects = typeof v === 'object' && typeof base[k] === 'object' && base[k] !== null && Array.isArray(v) === Array.isArray(base[k]);
          if (!bothObjects) expect(merged[k]).toEqual(v);
        }
      }),
    );
  });
});
