import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../../../engine/src/event/index.js';
import { parseGtidState } from '../../../../../engine/src/sources/mysql/protocol/gtid.js';
import { comparePositions, type MysqlPosition } from '../../../../../engine/src/sources/mysql/protocol/position.js';
import { HandoffFilter } from '../../../../../engine/src/sources/mysql/stream/handoff-filter.js';
import { TxAssembler } from '../../../../../engine/src/sources/mysql/stream/tx-assembler.js';
import { COLUMNS, stream, tablesFor, type SimLog, type SimRow } from './assembler-support.js';

const rowArb = fc.record({ table: fc.constantFrom('a', 'b', 'skipped'), op: fc.constantFrom('c' as const, 'u' as const, 'd' as const), id: fc.integer({ min: 1, max: 9 }) });
const txArb = fc.array(fc.array(rowArb, { minLength: 1, maxLength: 3 }).map((rows) => rows.map((r) => ({ ...r, table: rows[0]!.table, op: rows[0]!.op }) as SimRow)), { minLength: 1, maxLength: 4 });
const logArb = (flavor: SimLog['flavor']) => fc.array(txArb, { minLength: 1, maxLength: 8 }).map((txs) => ({ flavor, txs }) as SimLog);

const brief = (e: ChangeEvent) => `${e.tx.id}#${e.tx.index}${e.tx.end ? '!' : ''} ${e.op} ${e.source.table}:${JSON.stringify(e.after ?? e.before)}`;
const pos = (e: ChangeEvent) => e.source.position as MysqlPosition;

describe('transaction assembly', () => {
  for (const flavor of ['mariadb', 'file'] as const) {
    it(`emits each transaction contiguously with end on its last captured row, positions growing (${flavor})`, async () => {
      await fc.assert(
        fc.asyncProperty(logArb(flavor), async (log) => {
          const events = await stream(log, null, ['a', 'b']);
          const captured = log.txs.map((tx) => tx.flat().filter((r) => r.table !== 'skipped').length);
          expect(events.length).toBe(captured.reduce((a, b) => a + b, 0));
          for (let i = 0; i < events.length; i++) {
            const next = events[i + 1];
            expect(events[i]!.tx.end).toBe(next === undefined || next.tx.id !== events[i]!.tx.id);
            if (next) expect(comparePositions(pos(events[i]!), pos(next))).toBeLessThan(0);
          }
        }),
        { numRuns: 60 },
      );
    });

    it(`resuming from any event's position re-emits exactly the events after it (${flavor})`, async () => {
      await fc.assert(
        fc.asyncProperty(logArb(flavor), fc.nat(), async (log, pick) => {
          const all = await stream(log, null, ['a', 'b']);
          if (all.length === 0) return;
          const i = pick % all.length;
          const resumed = await stream(log, pos(all[i]!), ['a', 'b']);
          expect(resumed.map(brief)).toEqual(all.slice(i + 1).map(brief));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('names transactions by GTID (MariaDB) or by binlog coordinates (file mode), indexes counting every row', async () => {
    const log: SimLog = { flavor: 'mariadb', txs: [[[{ table: 'a', op: 'c', id: 1 }], [{ table: 'skipped', op: 'c', id: 2 }], [{ table: 'b', op: 'c', id: 3 }, { table: 'b', op: 'c', id: 4 }]]] };
    const events = await stream(log, null, ['a', 'b']);
    expect(events.map((e) => [e.tx.id, e.tx.index, e.tx.end])).toEqual([['0-1-1', 0, false], ['0-1-1', 2, false], ['0-1-1', 3, true]]);
    const fileEvents = await stream({ ...log, flavor: 'file' }, null, ['a', 'b']);
    expect(fileEvents.map((e) => e.tx.id)).toEqual(['bin.000001:256', 'bin.000001:256', 'bin.000001:256']);
    expect(pos(events[2]!)).toMatchObject({ gtid: '0-1-1', gtid_set: '0-1-1', index: -1 });
    expect(pos(events[1]!)).toMatchObject({ gtid: '0-1-1', gtid_set: '', index: 2 });
  });

  it('drops, per table, the transactions its snapshot already holds', async () => {
    const log: SimLog = { flavor: 'mariadb', txs: [1, 2, 3, 4].map((n) => [[{ table: 'a', op: 'u', id: n }], [{ table: 'b', op: 'u', id: n }]]) };
    // a was snapshotted after tx 1, b after tx 3: streaming starts after tx 1.
    const handoff = new HandoffFilter(new Map([['db.a', { gtidSet: '0-1-1', file: 'f', pos: 0 }], ['db.b', { gtidSet: '0-1-3', file: 'f', pos: 0 }]]), 'mariadb');
    const from: MysqlPosition = { server_id: 1, gtid: null, file: 'bin.000001', pos: 4, epoch: 0, gtid_set: '0-1-1', index: -1 };
    const events = await stream(log, from, ['a', 'b'], handoff);
    expect(events.map((e) => `${e.source.table}${e.before!.id}`)).toEqual(['a2', 'a3', 'a4', 'b4']);
    expect(handoff.active).toBe(false);
  });

  it('turns TRUNCATE into op t, holds input while schemas reload after DDL, and tags outbox inserts only', async () => {
    const { resolver } = await tablesFor(['a', 'box'], { outbox: ['db.box'] });
    const emitted: ChangeEvent[] = [];
    let release!: () => void;
    const holds: boolean[] = [];
    const refreshed: string[] = [];
    const assembler = new TxAssembler(
      {
        sourceId: 's',
        tenant: 't',
        emit: (e) => emitted.push(e),
        tables: resolver,
        refreshSchemas: (c) => {
          refreshed.push(c.tables.map((t) => `${t.db}.${t.table}`).join());
          return new Promise<void>((r) => (release = r));
        },
        hold: (on) => holds.push(on),
        fail: (e) => {
          throw e;
        },
      },
      { epoch: 0, serverId: 1, gtid: null, file: 'bin.1', pos: 4, skip: null, handoff: null },
    );
    const rows = (table: string, op: 'c' | 'u' | 'd', id: number) => ({ kind: 'rows' as const, op, db: 'db', table, columns: COLUMNS, rows: [op === 'u' ? { before: { id, v: 0 }, after: { id, v: 1 } } : { id, v: 1 }], size: 10, ts: 0 });
    assembler.push({ kind: 'query', sql: 'TRUNCATE `db`.`a`', schema: 'other', ts: 0, endPos: 100 });
    assembler.push({ kind: 'query', sql: 'ALTER TABLE a /* generated */ ADD COLUMN w INT', schema: 'db', ts: 0, endPos: 200 });
    assembler.push({ kind: 'query', sql: 'BEGIN', schema: 'db', ts: 0, endPos: 250 });
    assembler.push(rows('box', 'c', 1));
    assembler.push(rows('box', 'u', 1));
    assembler.push(rows('box', 'd', 1));
    assembler.push(rows('a', 'c', 2));
    assembler.push({ kind: 'commit', ts: 0, endPos: 300 });
    expect(emitted.map((e) => e.op)).toEqual(['t']);
    expect(refreshed).toEqual(['db.a']);
    expect(holds).toEqual([true]);
    release();
    await new Promise((r) => setImmediate(r));
    expect(holds).toEqual([true, false]);
    expect(emitted.map((e) => [e.op, e.source.table, e.outbox, e.tx.index, e.tx.end])).toEqual([
      ['t', 'a', undefined, 0, true],
      ['c', 'box', { match: 'db.box' }, 0, false],
      ['c', 'a', undefined, 3, true],
    ]);
  });

  it('follows MySQL 8 transactions: GTID event, then BEGIN, rows, XID; uuid:n ids and GTID-set positions', async () => {
    const uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
    const { resolver } = await tablesFor(['a']);
    const emitted: ChangeEvent[] = [];
    const assembler = new TxAssembler(
      { sourceId: 's', tenant: 't', emit: (e) => emitted.push(e), tables: resolver, refreshSchemas: async () => {}, hold: () => {}, fail: (e) => { throw e; } },
      { epoch: 0, serverId: 7, gtid: parseGtidState(`${uuid}:1-4`, 'mysql'), file: 'binlog.000002', pos: 4, skip: null, handoff: null },
    );
    assembler.push({ kind: 'rotate', file: 'binlog.000002', pos: 4 });
    assembler.push({ kind: 'gtid', gtid: `${uuid}:5`, serverId: null, ts: 5000, endPos: 300 });
    assembler.push({ kind: 'query', sql: 'BEGIN', schema: 'db', ts: 5000, endPos: 380 });
    assembler.push({ kind: 'rows', op: 'c', db: 'db', table: 'a', columns: COLUMNS, rows: [{ id: 1, v: 1 }, { id: 2, v: 1 }], size: 60, ts: 5000 });
    assembler.push({ kind: 'commit', ts: 5000, endPos: 500 });
    expect(emitted.map((e) => [e.tx.id, e.tx.index, e.tx.end])).toEqual([[`${uuid}:5`, 0, false], [`${uuid}:5`, 1, true]]);
    expect(pos(emitted[0]!)).toMatchObject({ server_id: 7, gtid: `${uuid}:5`, gtid_set: `${uuid}:1-4`, file: 'binlog.000002', pos: 4, index: 0 });
    expect(pos(emitted[1]!)).toMatchObject({ gtid_set: `${uuid}:1-5`, pos: 500, index: -1 });
  });

  it('gives events a deterministic, lazily derived id that survives JSON', async () => {
    const log: SimLog = { flavor: 'mariadb', txs: [[[{ table: 'a', op: 'c', id: 1 }]]] };
    const [a] = await stream(log, null, ['a']);
    const [b] = await stream(log, null, ['a']);
    expect(a!.id).toBe(b!.id);
    expect(JSON.parse(JSON.stringify(a)).id).toBe(a!.id);
  });
});
