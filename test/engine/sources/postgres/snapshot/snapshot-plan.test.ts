import { describe, expect, it } from 'vitest';
import { anchorPosition, positionKey, type PgPosition } from '../../../../../engine/src/sources/postgres/position.js';
import { integerRanges, pageRanges } from '../../../../../engine/src/sources/postgres/snapshot/chunks.js';
import { rowPosition } from '../../../../../engine/src/sources/postgres/snapshot/snapshot-phase.js';
import { decideSnapshot, snapshotFilter, streamPart, type SnapshotRecord } from '../../../../../engine/src/sources/postgres/snapshot/snapshot-state.js';

const anchor = anchorPosition(0x100n, 0);
const row = (sn: number, epoch = 1) => rowPosition(anchor, 'public', epoch, sn);
const tables = ['public.a', 'public.b', 'public.c'];
const record: SnapshotRecord = {
  epoch: 1,
  anchor,
  tables: {
    'public.a': { lsn: '0/100', last: row(10), done: true },
    'public.b': { lsn: '0/100', last: row(20), done: true },
    'public.c': { lsn: '0/100', last: null, done: false },
  },
};

describe('snapshot decisions', () => {
  it('initial: snapshots every table on a first start, nothing once a checkpoint exists and the snapshot is durable', () => {
    expect(decideSnapshot('initial', undefined, null, anchor, tables)).toMatchObject({ run: true, epoch: 1, anchor, read: tables, keep: {}, resumed: false });
    const complete: SnapshotRecord = { ...record, tables: { ...record.tables, 'public.c': { lsn: '0/100', last: row(30), done: true } } };
    expect(decideSnapshot('initial', complete, positionKey(row(30)), anchor, tables)).toEqual({ run: false });
    expect(decideSnapshot('never', undefined, null, anchor, tables)).toEqual({ run: false });
  });

  it('resumes an interrupted snapshot at table granularity: only tables whose last row is checkpointed are kept', () => {
    const d = decideSnapshot('initial', record, positionKey(row(15)), anchor, tables);
    expect(d).toMatchObject({ run: true, epoch: 2, anchor, read: ['public.b', 'public.c'], resumed: true });
    expect(Object.keys((d as { keep: object }).keep)).toEqual(['public.a']);
  });

  it('always: a new epoch on every start, hanging off the stream part of where the stream resumes', () => {
    const later: PgPosition = { lsn: '0/900', xid: 3, i: 2, end: '0/930' };
    const d = decideSnapshot('always', { ...record, tables: {} }, positionKey(later), later, tables);
    expect(d).toMatchObject({ run: true, epoch: 2, anchor: later, read: tables, resumed: false });
    expect(streamPart(row(5))).toEqual(anchor);
  });

  it('filters stream changes per table below the LSN the table was read at', () => {
    const filter = snapshotFilter({ ...record, tables: { 'public.a': { lsn: '0/100', last: null, done: true }, 'public.c': { lsn: '1/0', last: null, done: false } } });
    expect([...filter]).toEqual([
      ['public.a', 0x100n],
      ['public.c', 0x1_0000_0000n],
    ]);
  });
});

describe('snapshot chunks', () => {
  it('covers an integer key range with [lo, hi) chunks, or gives up when keys are too sparse', () => {
    expect(integerRanges(1n, 25n, 10, 25)).toEqual([
      [1n, 11n],
      [11n, 21n],
      [21n, 31n],
    ]);
    expect(integerRanges(1n, 10n ** 12n, 10, 100)).toBeNull();
  });

  it('covers the heap with page ranges and an open-ended last chunk', () => {
    expect(pageRanges(0, 100, 1000)).toEqual([[0, null]]);
    expect(pageRanges(10, 100, 300)).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [9, null],
    ]);
  });
});
