import { describe, expect, it } from 'vitest';
import type { SourceHistory, SourceTxn } from '../../../chaos/src/history/index.js';
import { acknowledged, commitTimeline, estimatedLagMs } from '../../../chaos/src/runner/acknowledged.js';

const v = { table: 't', key: '{"id":1}', version: 1, op: 'c' as const, writer: 1, after: {}, before: null };
const txn = (id: number, outcome: SourceTxn['outcome'], completedAt: number, rows: number, resolution?: 'committed' | 'rolled-back'): SourceTxn => ({
  id, writer: 1, outcome, invokedAt: completedAt - 5, completedAt, versions: Array.from({ length: rows }, () => v), ...(resolution ? { resolution } : {}),
});

describe('acknowledged versions and lag', () => {
  it('counts ok txns and info txns found committed, by commit time', () => {
    expect(acknowledged(txn(1, 'info', 1, 1, 'committed'))).toBe(true);
    expect(acknowledged(txn(1, 'info', 1, 1, 'rolled-back'))).toBe(false);
    expect(acknowledged(txn(1, 'info', 1, 1))).toBe(false);
    expect(acknowledged(txn(1, 'fail', 1, 1))).toBe(false);
    const history: SourceHistory = { source: 'mysql', primaryKeys: {}, txns: [txn(1, 'ok', 300, 2), txn(2, 'fail', 100, 5), txn(3, 'ok', 200, 1), txn(4, 'info', 250, 1, 'committed')] };
    expect(commitTimeline(history)).toEqual([200, 250, 300, 300]);
  });

  it('is the age of the oldest version a sink cannot hold yet, 0 when it holds as many as were written', () => {
    const timeline = [100, 200, 300];
    expect(estimatedLagMs(timeline, 0, 1000)).toBe(900);
    expect(estimatedLagMs(timeline, 2, 1000)).toBe(700);
    expect(estimatedLagMs(timeline, 3, 1000)).toBe(0);
    expect(estimatedLagMs(timeline, 7, 1000)).toBe(0);
  });
});
