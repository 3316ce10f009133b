import { describe, expect, it } from 'vitest';
import { snapshotPosition, streamPosition } from '../../../../../engine/src/sources/mysql/protocol/position.js';
import { Channel } from '../../../../../engine/src/sources/mysql/snapshot/channel.js';
import { firstTableToRead, type SnapshotRecord } from '../../../../../engine/src/sources/mysql/snapshot/snapshot-record.js';
import { handoverFrom, planStart } from '../../../../../engine/src/sources/mysql/start-plan.js';

const tables = [{ db: 'b', table: 't2' }, { db: 'a', table: 't1' }];
const streamAt = (epoch: number, set = '0-1-10') => streamPosition({ server_id: 1, gtid: null, file: 'f', pos: 4, gtid_set: set }, epoch, -1);
const snapAt = (epoch: number, table: number, last: boolean) => snapshotPosition({ server_id: 1, gtid: null, file: 'f', pos: 4, gtid_set: '' }, epoch, { run: 1, table, row: 5, last });
const record = (epoch: number): SnapshotRecord => ({ epoch, runs: 1, tables: [{ db: 'a', table: 't1', after: { serverId: 1, gtidSet: '0-1-3', file: 'f', pos: 9 } }, { db: 'b', table: 't2', after: { serverId: 1, gtidSet: '0-1-5', file: 'f', pos: 19 } }], finished: false, streamFrom: null });

describe('start plan', () => {
  it('streams from the binlog tail on a first start without snapshot, or from the checkpoint', () => {
    expect(planStart({ resume: null, mode: 'never', record: undefined, tables, serverId: 1 })).toEqual({ kind: 'stream', from: null, record: null });
    expect(planStart({ resume: streamAt(2), mode: 'initial', record: record(2), tables, serverId: 1 })).toEqual({ kind: 'stream', from: streamAt(2), record: record(2) });
  });

  it('starts a fresh snapshot in a new epoch, tables in name order, anchored before its first row', () => {
    const plan = planStart({ resume: null, mode: 'initial', record: record(3), tables, serverId: 1 });
    expect(plan.kind).toBe('snapshot');
    if (plan.kind !== 'snapshot') return;
    expect(plan.record).toMatchObject({ epoch: 4, runs: 0, finished: false, streamFrom: null });
    expect(plan.record.tables.map((t) => t.table)).toEqual(['t1', 't2']);
    expect(plan.returns).toMatchObject({ epoch: 4, snapshot: true, snap: { run: 1, table: -1, row: -1 } });
  });

  it('re-snapshots in mode always after a restart, streaming on from the checkpoint unfiltered', () => {
    const plan = planStart({ resume: streamAt(1), mode: 'always', record: record(1), tables, serverId: 1 });
    expect(plan).toMatchObject({ kind: 'snapshot', returns: streamAt(1), record: { epoch: 2, streamFrom: streamAt(1) } });
    if (plan.kind === 'snapshot') expect(handoverFrom({ ...plan.record, finished: true })).toEqual({ ...streamAt(1), epoch: 2 });
  });

  it('continues an interrupted snapshot at table granularity', () => {
    expect(planStart({ resume: snapAt(1, 1, false), mode: 'never', record: record(1), tables, serverId: 1 })).toMatchObject({ kind: 'snapshot', fromTable: 1, record: record(1) });
    expect(firstTableToRead(snapAt(1, 1, true).snap!)).toBe(2);
    expect(firstTableToRead(snapAt(1, -1, false).snap!)).toBe(0);
    // The record of that epoch is gone: start over, later.
    expect(planStart({ resume: snapAt(1, 1, false), mode: 'initial', record: undefined, tables, serverId: 1 })).toMatchObject({ kind: 'snapshot', fromTable: 0, record: { epoch: 2 } });
  });

  it('hands over to streaming at the earliest table point', () => {
    expect(handoverFrom(record(1))).toMatchObject({ epoch: 1, gtid_set: '0-1-3', index: -1 });
    expect(handoverFrom({ ...record(1), tables: [] })).toBeNull();
  });
});

describe('snapshot channel', () => {
  it('bounds read-ahead and delivers in order, then the end or the failure', async () => {
    const c = new Channel<number>(2);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await c.push(i);
        pushed++;
      }
      c.end();
    })();
    await new Promise((r) => setImmediate(r));
    expect(pushed).toBe(2);
    const got: number[] = [];
    for (let v = await c.pull(); v !== undefined; v = await c.pull()) got.push(v);
    await producer;
    expect(got).toEqual([0, 1, 2, 3, 4]);
    const failing = new Channel<number>(1);
    failing.fail(new Error('worker died'));
    await expect(failing.pull()).rejects.toThrow('worker died');
  });
});
