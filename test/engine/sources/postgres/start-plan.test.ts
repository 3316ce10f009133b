import { describe, expect, it } from 'vitest';
import { positionKey, type PgPosition } from '../../../../engine/src/sources/postgres/position.js';
import { planGeneration } from '../../../../engine/src/sources/postgres/start-plan.js';

const tables = ['public.a', 'public.b'];
const checkpoint: PgPosition = { lsn: '0/500', xid: 7, i: 2, g: 1 };

describe('postgres start plan', () => {
  it('resumes right after a checkpoint of this generation, skipping what it covers', () => {
    const plan = planGeneration({ mode: 'initial', record: undefined, tables, generation: 1, from: { resume: positionKey(checkpoint), position: checkpoint } });
    expect(plan.anchor).toEqual({ startLsn: 0x500n, skip: positionKey(checkpoint) });
    expect(plan.streamFrom).toBe(checkpoint);
    expect(plan.snapshot).toEqual({ run: false });
  });

  it('a new slot starts at its consistent point with nothing to skip, and snapshots every table', () => {
    const plan = planGeneration({ mode: 'initial', record: undefined, tables, generation: 0, from: { lsn: 0x900n } });
    expect(plan.anchor).toEqual({ startLsn: 0x900n, skip: null });
    expect(plan.streamFrom).toEqual({ lsn: '0/900', xid: null, i: -1 });
    expect(plan.snapshot).toMatchObject({ run: true, epoch: 1, read: tables, keep: {}, resumed: false, anchor: plan.streamFrom });
  });

  it('a recreated slot (new generation) snapshots again in the next epoch, anchored in the new generation', () => {
    const record = { epoch: 3, anchor: { lsn: '0/100', xid: null, i: -1 }, tables: { 'public.a': { lsn: '0/100', last: null, done: true } } };
    const plan = planGeneration({ mode: 'initial', record, tables, generation: 2, from: { lsn: 0xa00n } });
    expect(plan.snapshot).toMatchObject({ run: true, epoch: 4, read: tables, keep: {}, anchor: { lsn: '0/A00', g: 2 } });
    expect(planGeneration({ mode: 'never', record, tables, generation: 2, from: { lsn: 0xa00n } }).snapshot).toEqual({ run: false });
  });
});
