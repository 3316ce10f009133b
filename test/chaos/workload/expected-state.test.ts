import { describe, expect, it } from 'vitest';
import type { Outcome, RowVersion, SourceHistory, SourceTxn } from '../../../chaos/src/history/index.js';
import { expectedState, finalColumns } from '../../../chaos/src/workload/expected-state.js';

const T = 'chaos_events';
const row = (id: number, version: number, payload: unknown = null) => ({ id, writer: 1, version, payload });
const v = (op: RowVersion['op'], id: number, version: number, before: RowVersion['before'], after: RowVersion['after']): RowVersion => ({ table: T, key: `{"id":${id}}`, version, op, writer: 1, before, after });
const txn = (id: number, outcome: Outcome, versions: RowVersion[], resolution?: 'committed' | 'rolled-back'): SourceTxn => ({ id, writer: 1, versions, outcome, invokedAt: id, completedAt: id, ...(resolution ? { resolution } : {}) });
const history = (txns: SourceTxn[], extra: Partial<SourceHistory> = {}): SourceHistory => ({ source: 'mysql', txns, primaryKeys: { [T]: ['id'] }, ...extra });

describe('expectedState', () => {
  it('applies ok and committed-info txns in id order, skips fail and rolled-back ones', () => {
    const state = expectedState(
      history([
        txn(4, 'info', [v('u', 1, 3, row(1, 2), row(1, 3))], 'committed'),
        txn(1, 'ok', [v('c', 1, 1, null, row(1, 1)), v('c', 2, 1, null, row(2, 1))]),
        txn(2, 'ok', [v('u', 1, 2, row(1, 1), row(1, 2)), v('d', 2, 1, row(2, 1), null)]),
        txn(3, 'fail', [v('c', 2, 2, null, row(2, 2))]),
        txn(5, 'info', [v('c', 3, 1, null, row(3, 1))], 'rolled-back'),
      ]),
    );
    expect(state.rows.get(T)).toEqual(new Map([['{"id":1}', row(1, 3)]]));
    expect(state.uncertain.size).toBe(0);
  });

  it('marks keys of unresolved info txns uncertain', () => {
    const state = expectedState(history([txn(1, 'info', [v('c', 7, 1, null, row(7, 1))])]));
    expect([...state.uncertain]).toEqual([`${T} {"id":7}`]);
    expect(state.rows.get(T)).toBeUndefined();
  });

  it('puts rows in the final table shape after DDL: added columns null, dropped ones gone', () => {
    const h = history([txn(1, 'ok', [v('c', 1, 1, null, row(1, 1, { a: 1 }))])], {
      columns: { [T]: ['id', 'writer', 'version', 'payload'] },
      schemaChanges: [
        { table: T, change: 'add', column: 'extra', sqlType: 'INT', at: 0, firstTxnId: 2 },
        { table: T, change: 'drop', column: 'payload', at: 0, firstTxnId: 2 },
      ],
    });
    expect(finalColumns(h)).toEqual({ [T]: ['id', 'writer', 'version', 'extra'] });
    expect(expectedState(h).rows.get(T)?.get('{"id":1}')).toEqual({ id: 1, writer: 1, version: 1, extra: null });
  });
});
