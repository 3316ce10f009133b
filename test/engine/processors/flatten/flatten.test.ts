import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenProcessor as flattenSchema } from '../../../../engine/src/config/processors.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { flattenObject } from '../../../../engine/src/processors/flatten/flatten.js';
import { flattenProcessor } from '../../../../engine/src/processors/flatten/flatten-processor.js';
import { ctx, rowEvent } from '../helpers.js';

const options = (o: Record<string, unknown> = {}) => flattenSchema.parse({ type: 'flatten', ...o });

describe('flatten', () => {
  it('flattens the reference example with the defaults', () => {
    const input = { order_id: 'abc', customer: { id: 1, address: { city: 'Berlin', zip: '10115' } }, tags: ['vip'], meta: {} };
    expect(flattenObject(input, options())).toEqual({ order_id: 'abc', customer__id: 1, customer__address__city: 'Berlin', customer__address__zip: '10115', tags: ['vip'], meta: {} });
  });

  it('stops at max_depth and keeps the boundary object whole', () => {
    const input = { customer: { address: { geo: { lat: 52.5, lng: 13.4 } } } };
    expect(flattenObject(input, options({ max_depth: 2 }))).toEqual({ customer__address__geo: { lat: 52.5, lng: 13.4 } });
    expect(flattenObject(input, options({ max_depth: 1 }))).toEqual({ customer__address: { geo: { lat: 52.5, lng: 13.4 } } });
  });

  it('applies the list and empty-value policies', () => {
    const input = { tags: ['a', { b: 1 }], none: [], meta: {}, x: { y: {} } };
    expect(flattenObject(input, options({ lists: 'index', empty_list: 'drop', empty_object: 'null', separator: '.' }))).toEqual({ 'tags.0': 'a', 'tags.1.b': 1, meta: null, 'x.y': null });
    expect(flattenObject(input, options({ empty_list: 'null', empty_object: 'drop' }))).toEqual({ tags: ['a', { b: 1 }], none: null });
  });

  it('resolves collisions by policy', () => {
    const input = { a__b: 1, a: { b: 2 } };
    expect(flattenObject(input, options())).toEqual({ a__b: 2 });
    expect(flattenObject(input, options({ on_collision: 'first' }))).toEqual({ a__b: 1 });
    expect(() => flattenObject(input, options({ on_collision: 'error' }))).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_PROCESSOR_FLATTEN_COLLISION' }));
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"a": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>;
    const out = flattenObject(input, options());
    expect(Object.keys(out)).toEqual(['a____proto____polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('flattens before and after of each event, passing flat events through as the same objects', () => {
    const p = flattenProcessor(options(), ctx());
    const flat = rowEvent(1, { after: { id: 1, n: 'x' } });
    const nested = rowEvent(2, { op: 'u', before: { id: 2, d: { k: 1 } }, after: { id: 2, d: { k: 2 } } });
    const [a, b] = p.process([flat, nested]) as ChangeEvent[];
    expect(a).toBe(flat);
    expect(b).toMatchObject({ id: 'ev-2', before: { id: 2, d__k: 1 }, after: { id: 2, d__k: 2 }, source: nested.source, tx: nested.tx });
  });
});

// ---- Property: flatten then unflatten gives the input back when keys do not contain the separator. ----

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const keyArb = fc.stringMatching(/^[a-z]{1,4}$/);
const jsonArb: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 5 }), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(keyArb, tie('value'), { maxKeys: 4 })),
})).value;
const objectArb = fc.dictionary(keyArb, jsonArb, { maxKeys: 5 });

function unflatten(flat: Record<string, unknown>, sep: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(sep);
    let node = out;
    parts.slice(0, -1).forEach((p) => (node = (node[p] ??= {}) as Record<string, unknown>));
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

function depth(key: string, sep: string): number {
  return key.split(sep).length - 1;
}

describe('flatten properties', () => {
  it('round-trips through unflatten with preserve policies', () => {
    fc.assert(
      fc.property(objectArb, fc.constantFrom('__', '.', '/'), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), (input, separator, max_depth) => {
        const flat = flattenObject(input, options({ separator, ...(max_depth ? { max_depth } : {}) }));
        expect(unflatten(flat, separator)).toEqual(input);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves no nested non-empty object below max_depth and never deeper keys', () => {
    fc.assert(
      fc.property(objectArb, fc.integer({ min: 1, max: 3 }), (input, max_depth) => {
        const flat = flattenObject(input, options({ max_depth }));
        for (const [k, v] of Object.entries(flat)) {
          expect(depth(k, '__')).toBeLessThanOrEqual(max_depth);
          if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) expect(depth(k, '__')).toBe(max_depth);
        }
      }),
      { numRuns: 300 },
    );
  });
});
