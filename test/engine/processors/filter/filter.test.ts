import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterProcessor as filterSchema, type FilterProcessorSpec } from '../../../../engine/src/config/processors.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { compileFilter, filterProcessor } from '../../../../engine/src/processors/filter/filter-processor.js';
import { ctx, rowEvent } from '../helpers.js';

const spec = (input: Record<string, unknown>): FilterProcessorSpec => filterSchema.parse({ type: 'filter', ...input });

describe('filter processor', () => {
  it('keeps the reference example: active orders of at least 100, creates and updates only', () => {
    const keep = compileFilter(
      spec({
        ops: ['create', 'update'],
        tables: { include: ['shop.orders'], exclude: ['*.tmp'] },
        fields: [{ path: 'status', op: 'eq', value: 'active' }, { path: 'total', op: 'gte', value: 100 }],
      }),
    );
    expect(keep(rowEvent(1, { after: { status: 'active', total: 100 } }))).toBe(true);
    expect(keep(rowEvent(2, { after: { status: 'active', total: '250.00' } }))).toBe(true); // DECIMAL as text
    expect(keep(rowEvent(3, { after: { status: 'active', total: 99.99 } }))).toBe(false);
    expect(keep(rowEvent(4, { after: { status: 'done', total: 500 } }))).toBe(false);
    expect(keep(rowEvent(5, { op: 'd', before: { status: 'active', total: 500 } }))).toBe(false);
    expect(keep(rowEvent(6, { table: 'tmp', after: { status: 'active', total: 500 } }))).toBe(false);
    expect(keep(rowEvent(7, { db: 'other', after: { status: 'active', total: 500 } }))).toBe(false);
  });

  it('exclude wins over include, and bare patterns match the table name', () => {
    const keep = compileFilter(spec({ tables: { include: ['shop.*'], exclude: ['audit%'] } }));
    expect(keep(rowEvent(1, { table: 'orders' }))).toBe(true);
    expect(keep(rowEvent(2, { table: 'audit_log' }))).toBe(false);
    expect(keep(rowEvent(3, { db: 'x', table: 'orders' }))).toBe(false);
  });

  it('matches Postgres tables by schema.table', () => {
    const keep = compileFilter(spec({ tables: { include: ['public.users'] } }));
    expect(keep(rowEvent(1, { db: 'appdb', table: 'users', schema: 'public' }))).toBe(true);
    expect(keep(rowEvent(2, { db: 'appdb', table: 'users', schema: 'audit' }))).toBe(false);
  });

  it('match: any passes when one predicate holds; nested paths and every operator', () => {
    const alert = compileFilter(spec({ match: 'any', fields: [{ path: 'status', op: 'eq', value: 'failed' }, { path: 'retry_count', op: 'gte', value: 3 }] }));
    expect(alert(rowEvent(1, { after: { status: 'ok', retry_count: 3 } }))).toBe(true);
    expect(alert(rowEvent(2, { after: { status: 'failed', retry_count: 0 } }))).toBe(true);
    expect(alert(rowEvent(3, { after: { status: 'ok', retry_count: 1 } }))).toBe(false);

    const one = (field: Record<string, unknown>, after: Record<string, unknown> | null, before: Record<string, unknown> | null = null, op: ChangeEvent['op'] = 'u') =>
      compileFilter(spec({ fields: [field] }))(rowEvent(0, { op, after, before }));
    expect(one({ path: 'order.total', op: 'gt', value: 10 }, { order: { total: 11 } })).toBe(true);
    expect(one({ path: 'n', op: 'eq', value: 42 }, { n: 42.0 })).toBe(true);
    expect(one({ path: 'n', op: 'ne', value: 1 }, {})).toBe(true);
    expect(one({ path: 'n', op: 'in', value: [1, 2] }, { n: '2' })).toBe(true);
    expect(one({ path: 'n', op: 'not_in', value: [1, 2] }, {})).toBe(true);
    expect(one({ path: 'n', op: 'exists' }, { n: null })).toBe(false);
    expect(one({ path: 'n', op: 'not_exists' }, { n: null })).toBe(true);
    expect(one({ path: 'tags', op: 'contains', value: 'vip' }, { tags: ['a', 'vip'] })).toBe(true);
    expect(one({ path: 'name', op: 'contains', value: 'ob' }, { name: 'bob' })).toBe(true);
    expect(one({ path: 'email', op: 'regex', value: '@test\\.local$' }, { email: 'a@test.local' })).toBe(true);
    expect(one({ path: 'email', op: 'regex', value: '.' }, { email: 5 })).toBe(false);
    expect(one({ path: 'name', op: 'lt', value: 'm' }, { name: 'alice' })).toBe(true);
    expect(one({ path: 'doc', op: 'eq', value: { b: 1, a: [1] } }, { doc: { a: [1], b: 1 } })).toBe(true);
    expect(one({ path: 'status', op: 'changed' }, { status: 'a' }, { status: 'a' })).toBe(false);
    expect(one({ path: 'status', op: 'changed' }, { status: 'b' }, { status: 'a' })).toBe(true);
    expect(one({ path: 'status', op: 'changed' }, { status: 'a' }, null, 'c')).toBe(true);
  });

  it('drops by op and returns the surviving events themselves', () => {
    const p = filterProcessor(spec({ ops: ['update'] }), ctx());
    const events = [rowEvent(1, { op: 'c' }), rowEvent(2, { op: 'u', before: { id: 2 } }), rowEvent(3, { op: 'r' })];
    const out = p.process(events) as ChangeEvent[];
    expect(out).toEqual([events[1]]);
    expect(out[0]).toBe(events[1]);
  });

  it('rejects bad predicates at load with the field named', () => {
    expect(filterSchema.safeParse({ type: 'filter', fields: [{ path: 'a', op: 'in', value: 3 }] }).error?.issues[0]).toMatchObject({ path: ['fields', 0, 'value'], message: expect.stringMatching(/needs a list/) });
    expect(filterSchema.safeParse({ type: 'filter', fields: [{ path: 'a', op: 'regex', value: '(' }] }).error?.issues[0]?.message).toMatch(/invalid regex/);
    expect(filterSchema.safeParse({ type: 'filter', fields: [{ path: 'a', op: 'eq' }] }).error?.issues[0]?.message).toMatch(/needs a value/);
    expect(filterSchema.safeParse({ type: 'filter', ops: ['insert'] }).success).toBe(false);
  });
});

// ---- Property: the compiled filter agrees with a plain reading of the reference's table. ----

const FIELDS = ['a', 'b'] as const;
const valueArb = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y', '1', '2.0'), fc.constant(null), fc.constant(undefined));
const rowArb = fc.record({ a: valueArb, b: valueArb }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
const eventArb = fc.record({
  op: fc.constantFrom<ChangeEvent['op']>('c', 'u', 'd', 'r'),
  table: fc.constantFrom('orders', 'tmp_orders', 'users'),
  db: fc.constantFrom('shop', 'crm'),
  before: rowArb,
  after: rowArb,
});
const predicateArb = fc.oneof(
  fc.record({ path: fc.constantFrom(...FIELDS), op: fc.constantFrom('eq', 'ne', 'gt', 'gte', 'lt', 'lte'), value: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y')) }),
  fc.record({ path: fc.constantFrom(...FIELDS), op: fc.constantFrom('in', 'not_in'), value: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x')), { maxLength: 3 }) }),
  fc.record({ path: fc.constantFrom(...FIELDS), op: fc.constantFrom('exists', 'not_exists', 'changed') }),
);
const specArb = fc.record({
  ops: fc.subarray(['create', 'update', 'delete', 'read'] as const),
  include: fc.subarray(['shop.*', 'orders', '*.users']),
  exclude: fc.subarray(['tmp%', 'crm.users']),
  fields: fc.array(predicateArb, { maxLength: 3 }),
  match: fc.constantFrom('all', 'any' as const),
});

/** Straight from the reference's table, one case at a time, with no shared code. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

function referenceKeeps(s: ValueOf<typeof specArb>, e: ValueOf<typeof eventArb>): boolean {
  const opNames: Record<string, string> = { c: 'create', u: 'update', d: 'delete', r: 'read' };
  if (s.ops.length > 0 && !s.ops.includes(opNames[e.op] as never)) return false;
  const globMatch = (p: string) => {
    const target = p.includes('.') ? `${e.db}.${e.table}` : e.table;
    const [prefix, suffix] = p.split(/[*%]/);
    return p.includes('*') || p.includes('%') ? target.startsWith(prefix!) && target.endsWith(suffix!) && target.length >= prefix!.length + suffix!.length : target === p;
  };
  if (s.include.length > 0 && !s.include.some(globMatch)) return false;
  if (s.exclude.some(globMatch)) return false;
  if (s.fields.length === 0) return true;
  const after: Record<string, unknown> | null = e.op === 'd' ? null : e.after;
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
  const eq = (x: unknown, v: unknown) => {
    if (x === undefined) return false;
    if (typeof x === 'number' || typeof v === 'number') return num(x) !== null && num(x) === num(v);
    return x === v;
  };
  const results = s.fields.map((f) => {
    const has = after !== null && Object.prototype.hasOwnProperty.call(after, f.path);
    const x = has ? after![f.path] : undefined;
    const v = (f as { value?: unknown }).value;
    switch (f.op) {
      case 'eq': return eq(x, v);
      case 'ne': return !eq(x, v);
      case 'exists': return x !== undefined && x !== null;
      case 'not_exists': return x === undefined || x === null;
      case 'in': return (v as unknown[]).some((i) => eq(x, i));
      case 'not_in': return !(v as unknown[]).some((i) => eq(x, i));
      case 'changed': return e.op !== 'u' || !eq(e.before[f.path], x) && !(e.before[f.path] === undefined && x === undefined) && !(e.before[f.path] === null && x === null);
      default: {
        if (x === undefined || x === null) return false;
        let c: number | null;
        if (typeof v === 'number') c = num(x) === null ? null : num(x)! - v;
        else if (typeof x === 'string') c = x < (v as string) ? -1 : x > (v as string) ? 1 : 0;
        else c = num(v) === null ? null : (x as number) - num(v)!;
        if (c === null) return false;
        return f.op === 'gt' ? c > 0 : f.op === 'gte' ? c >= 0 : f.op === 'lt' ? c < 0 : c <= 0;
      }
    }
  });
  return s.match === 'all' ? results.every(Boolean) : results.some(Boolean);
}

describe('filter property', () => {
  it('keeps exactly the events the reference predicate keeps, in order, as the same objects', () => {
    fc.assert(
      fc.property(specArb, fc.array(eventArb, { maxLength: 30 }), (s, raw) => {
        const p = filterProcessor(spec({ ops: s.ops, tables: { include: s.include, exclude: s.exclude }, fields: s.fields, match: s.match }), ctx());
        const events = raw.map((r, i) => rowEvent(i, { op: r.op, table: r.table, db: r.db, before: r.op === 'c' ? null : r.before, after: r.op === 'd' ? null : r.after }));
        const out = p.process(events) as ChangeEvent[];
        const expected = events.filter((_, i) => referenceKeeps(s, { ...raw[i]!, before: raw[i]!.op === 'c' ? {} : raw[i]!.before }));
        expect(out).toEqual(expected);
        out.forEach((e) => expect(events).toContain(e));
      }),
      { numRuns: 500 },
    );
  });
});
