import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asMysqlPosition, compareFilePos, comparePositions, resumePlan, snapshotPosition, streamPosition, type MysqlPosition } from '../../../../../engine/src/sources/mysql/protocol/position.js';

const at = (gtidSet: string | null, index: number, epoch = 0, file = 'mysql-bin.000001', pos = 4): MysqlPosition =>
  streamPosition({ server_id: 1, gtid: index >= 0 ? 'x' : null, file, pos, gtid_set: gtidSet }, epoch, index);
const snap = (run: number, table: number, row: number, epoch = 1) => snapshotPosition({ server_id: 1, gtid: null, file: 'f', pos: 4, gtid_set: '0-1-5' }, epoch, { run, table, row, last: false });

/** Positions of a stream in order: boundary, the events of tx 1, its end boundary, tx 2 ... */
function streamOf(txSizes: readonly number[], flavor: 'mariadb' | 'mysql' | 'file'): MysqlPosition[] {
  const out: MysqlPosition[] = [];
  const uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
  const state = (n: number) => (flavor === 'mariadb' ? (n === 0 ? '' : `0-1-${n * 3}`) : flavor === 'mysql' ? (n === 0 ? '' : `${uuid}:1-${n}`) : null);
  let offset = 4;
  out.push(at(state(0), -1, 0, 'mysql-bin.000009', offset));
  txSizes.forEach((size, t) => {
    const start = offset;
    for (let i = 0; i < size - 1; i++) out.push(at(state(t), i, 0, 'mysql-bin.000009', start));
    offset += 100 * size;
    out.push(at(state(t + 1), -1, 0, 'mysql-bin.000009', offset));
  });
  return out;
}

describe('comparePositions', () => {
  for (const flavor of ['mariadb', 'mysql', 'file'] as const) {
    it(`orders a stream's positions as they were produced (${flavor})`, () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (sizes, i, j) => {
          const ps = streamOf(sizes, flavor);
          const a = i % ps.length;
          const b = j % ps.length;
          return Math.sign(comparePositions(ps[a]!, ps[b]!)) === Math.sign(a - b);
        }),
      );
    });
  }

  it('puts snapshot rows before the stream of their epoch, and every epoch after the previous one', () => {
    const stream1 = at('0-1-100', -1, 1);
    expect(comparePositions(snap(1, 5, 1000), stream1)).toBeLessThan(0);
    expect(comparePositions(at('0-1-900', 3, 0), snap(1, -1, -1))).toBeLessThan(0);
    expect(comparePositions(snap(2, 0, 0), snap(1, 9, 9))).toBeGreaterThan(0);
    expect(comparePositions(snap(1, 1, 0), snap(1, 0, 99))).toBeGreaterThan(0);
    expect(comparePositions(snap(1, -1, -1), snap(1, 0, 0))).toBeLessThan(0);
  });

  it('compares binlog names by their numeric suffix', () => {
    expect(compareFilePos('mysql-bin.000010', 4, 'mysql-bin.000009', 9999)).toBeGreaterThan(0);
    expect(compareFilePos('mysql-bin.000009', 5, 'mysql-bin.000009', 4)).toBeGreaterThan(0);
    expect(compareFilePos('b.1', 4, 'b.1', 4)).toBe(0);
  });
});

describe('resume plans', () => {
  it('starts at the boundary, skipping the events of a transaction already emitted', () => {
    expect(resumePlan(at('0-1-5', -1))).toMatchObject({ gtidSet: '0-1-5', skip: null });
    const mid = streamPosition({ server_id: 1, gtid: '0-1-6', file: 'f', pos: 900, gtid_set: '0-1-5' }, 0, 2);
    expect(resumePlan(mid)).toEqual({ gtidSet: '0-1-5', file: 'f', pos: 900, skip: { gtid: '0-1-6', count: 3 } });
  });

  it('validates checkpoints read back from a store', () => {
    expect(asMysqlPosition(JSON.parse(JSON.stringify(snap(1, 2, 3))), 's')).toMatchObject({ snap: { run: 1, table: 2, row: 3 } });
    expect(() => asMysqlPosition({ offset: 5 }, 'orders')).toThrow(/checkpoint of source orders is not a MySQL position/);
  });
});
