import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flavorOfGtidText, gtidOrdinal, parseGtidState } from '../../../../../engine/src/sources/mysql/protocol/gtid.js';
import { MariadbGtidPosition } from '../../../../../engine/src/sources/mysql/protocol/gtid-mariadb.js';
import { MysqlGtidSet } from '../../../../../engine/src/sources/mysql/protocol/gtid-mysql.js';

const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const B = '4d8f2b2a-0000-11ee-8000-0242ac120002';

describe('MySQL GTID sets (MySQL 8)', () => {
  it('parses @@gtid_executed as the server prints it (newlines, upper case) into canonical text', () => {
    const set = MysqlGtidSet.parse(`${B.toUpperCase()}:1-3,\n${A}:1-5:7:9-10`);
    expect(set.toString()).toBe(`${A}:1-5:7:9-10,${B}:1-3`);
    expect(set.count()).toBe(11n);
  });

  it('handles tagged GTIDs (8.3+): the tag names the intervals after it', () => {
    const set = MysqlGtidSet.parse(`${A}:1-5:tag_a:1-3:7`);
    expect(set.contains(`${A}:tag_a:2`)).toBe(true);
    expect(set.contains(`${A}:tag_a:5`)).toBe(false);
    expect(set.contains(`${A}:5`)).toBe(true);
    expect(set.count()).toBe(9n);
    expect(MysqlGtidSet.parse(set.toString()).toString()).toBe(set.toString());
  });

  it('merges added transactions into intervals', () => {
    const set = MysqlGtidSet.parse(`${A}:1-3`);
    set.add(`${A}:5`);
    expect(set.toString()).toBe(`${A}:1-3:5`);
    set.add(`${A}:4`);
    expect(set.toString()).toBe(`${A}:1-5`);
    set.add(`${B}:1`);
    expect(set.toString()).toBe(`${A}:1-5,${B}:1`);
  });

  it('tests containment of whole sets', () => {
    const small = MysqlGtidSet.parse(`${A}:1-5`);
    expect(small.isSubsetOf(MysqlGtidSet.parse(`${A}:1-9,${B}:1`))).toBe(true);
    expect(small.isSubsetOf(MysqlGtidSet.parse(`${A}:1-4:6-9`))).toBe(false);
    expect(small.isSubsetOf(MysqlGtidSet.parse(`${B}:1-9`))).toBe(false);
    expect(MysqlGtidSet.parse('').isSubsetOf(small)).toBe(true);
  });

  it('rejects malformed sets', () => {
    for (const bad of ['nope:1', `${A}`, `${A}:0`, `${A}:5-3`, `${A}:1-x`]) expect(() => MysqlGtidSet.parse(bad)).toThrow(/GTID set/);
  });

  it('counts one more per transaction of a stream', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(A, B), fc.integer({ min: 1, max: 1000 })), { maxLength: 50 }), (gtids) => {
        const set = MysqlGtidSet.parse('');
        for (const [uuid, n] of gtids) {
          const before = set.count();
          const had = set.contains(`${uuid}:${n}`);
          set.add(`${uuid}:${n}`);
          if (set.count() !== before + (had ? 0n : 1n)) return false;
        }
        return MysqlGtidSet.parse(set.toString()).toString() === set.toString();
      }),
    );
  });
});

describe('MariaDB GTID positions', () => {
  it('keeps the last transaction per domain and orders by the sum of sequence numbers', () => {
    const pos = MariadbGtidPosition.parse('1-3-45,0-1-1234');
    expect(pos.toString()).toBe('0-1-1234,1-3-45');
    pos.add('0-2-1235');
    expect(pos.toString()).toBe('0-2-1235,1-3-45');
    expect(pos.ordinal()).toBe(1280n);
    expect(pos.covers('0-1-1000')).toBe(true);
    expect(pos.covers('0-2-1236')).toBe(false);
    expect(pos.covers('2-1-1')).toBe(false);
  });

  it('is exact beyond 2^53', () => {
    const pos = MariadbGtidPosition.parse('0-1-18446744073709551615');
    expect(pos.toString()).toBe('0-1-18446744073709551615');
    expect(pos.covers('0-1-18446744073709551614')).toBe(true);
  });

  it('says which domains a server is behind in', () => {
    const ours = MariadbGtidPosition.parse('0-1-100,1-1-5');
    expect(ours.missingOn(MariadbGtidPosition.parse('0-2-150,1-1-5'))).toEqual([]);
    expect(ours.missingOn(MariadbGtidPosition.parse('0-2-99,1-1-5'))).toEqual(['domain 0 needs seq 100, server has 99']);
    expect(ours.missingOn(MariadbGtidPosition.parse(''))).toHaveLength(2);
  });

  it('rejects a domain given twice', () => {
    expect(() => MariadbGtidPosition.parse('0-1-1,0-2-2')).toThrow(/domain 0 twice/);
  });
});

describe('GTID states of either flavour', () => {
  it('tells the flavours apart by their text', () => {
    expect(flavorOfGtidText(`${A}:1`)).toBe('mysql');
    expect(flavorOfGtidText('0-1-1')).toBe('mariadb');
    expect(flavorOfGtidText(' ')).toBeNull();
  });

  it('refuses a state of the other family', () => {
    expect(() => parseGtidState('0-1-5', 'mysql')).toThrow(/is a mariadb one but the server is mysql/);
    expect(parseGtidState('', 'mysql').isEmpty()).toBe(true);
  });

  it('computes ordinals for comparisons', () => {
    expect(gtidOrdinal('')).toBe(0n);
    expect(gtidOrdinal(`${A}:1-10,${B}:1-5`)).toBe(15n);
    expect(gtidOrdinal('0-1-10,1-1-5')).toBe(15n);
  });
});
