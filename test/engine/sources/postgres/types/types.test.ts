import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArrayLiteral } from '../../../../../engine/src/sources/postgres/types/array-literal.js';
import { TypeCatalog, type PgTypeRow } from '../../../../../engine/src/sources/postgres/types/type-catalog.js';
import { scalarConverter } from '../../../../../engine/src/sources/postgres/types/value-converters.js';

describe('array literals', () => {
  it('parses quoting, escapes, NULL, nesting and bounds', () => {
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('{1,2,NULL}')).toEqual(['1', '2', null]);
    expect(parseArrayLiteral('{"a b","c\\"d",NULL,"NULL",""}')).toEqual(['a b', 'c"d', null, 'NULL', '']);
    expect(parseArrayLiteral('{{1,2},{3,4}}')).toEqual([['1', '2'], ['3', '4']]);
    expect(parseArrayLiteral('[0:1]={7,8}')).toEqual(['7', '8']);
    expect(parseArrayLiteral('{(0,0),(1,1);(2,2),(3,3)}', ';')).toEqual(['(0,0),(1,1)', '(2,2),(3,3)']);
  });

  it('rejects malformed literals', () => {
    for (const bad of ['{1,2', '1,2}', '{"a}', '{1,,2}', '{1}x']) expect(() => parseArrayLiteral(bad)).toThrow(/bad array literal/);
  });

  it('round-trips any list of strings and nulls written the way Postgres quotes them (property)', () => {
    const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    fc.assert(
      fc.property(fc.array(fc.option(fc.string(), { nil: null })), (items) => {
        const text = `{${items.map((s) => (s === null ? 'NULL' : quote(s))).join(',')}}`;
        expect(parseArrayLiteral(text)).toEqual(items);
      }),
    );
  });
});

describe('value converters', () => {
  it('keeps int8 a number while exact and a string beyond 2^53', () => {
    const int8 = scalarConverter('int8');
    expect(int8('9007199254740991')).toBe(9007199254740991);
    expect(int8('-9007199254740991')).toBe(-9007199254740991);
    expect(int8('9007199254740992')).toBe('9007199254740992');
    expect(int8('-9223372036854775808')).toBe('-9223372036854775808');
  });

  it('renders timestamps as ISO 8601 with microseconds, offsets and BC years', () => {
    const tz = scalarConverter('timestamptz');
    expect(tz('2024-02-29 10:34:56.123456+00')).toBe('2024-02-29T10:34:56.123456Z');
    expect(tz('2024-02-29 10:34:56+05:30')).toBe('2024-02-29T10:34:56+05:30');
    expect(tz('2024-02-29 10:34:56-03')).toBe('2024-02-29T10:34:56-03:00');
    expect(tz('0001-01-01 00:00:00+00 BC')).toBe('0000-01-01T00:00:00Z');
    expect(scalarConverter('date')('0044-03-15 BC')).toBe('-0043-03-15');
    expect(scalarConverter('timestamp')('2024-01-02 03:04:05')).toBe('2024-01-02T03:04:05');
  });

  it('keeps floats JSON-safe and decodes hex bytea to base64', () => {
    const f = scalarConverter('float');
    expect([f('1.5'), f('NaN'), f('Infinity'), f('-Infinity')]).toEqual([1.5, 'NaN', 'Infinity', '-Infinity']);
    expect(scalarConverter('bytea')('\\x00ff10')).toBe('AP8Q');
  });
});

describe('type catalog', () => {
  const rows: PgTypeRow[] = [
    { oid: 9001, name: 'mood', typtype: 'e', category: 'E', elem: 0, base: 0, delim: ',' },
    { oid: 9002, name: '_mood', typtype: 'b', category: 'A', elem: 9001, base: 0, delim: ',' },
    { oid: 9003, name: 'amount', typtype: 'd', category: 'N', elem: 0, base: 1700, delim: ',' },
    { oid: 9004, name: '_amount', typtype: 'b', category: 'A', elem: 9003, base: 0, delim: ',' },
  ];

  it('resolves built-ins at once and asks the server once for enums, domains and their arrays', async () => {
    const asked: number[][] = [];
    const catalog = new TypeCatalog(async (oids) => {
      asked.push([...oids]);
      return rows.filter((r) => oids.includes(r.oid));
    });
    expect(catalog.get(1007)!.convert('{1,2}')).toEqual([1, 2]);
    expect(catalog.missing([23, 1007, 9002, 9004])).toEqual([9002, 9004]);
    expect(catalog.get(9002)).toBeUndefined();
    await catalog.load([9002, 9004]);
    expect(asked).toEqual([[9002, 9004], [9001, 9003]]);
    expect(catalog.missing([9002, 9004])).toEqual([]);
    expect(catalog.get(9002)!.convert('{sad,happy}')).toEqual(['sad', 'happy']);
    expect(catalog.get(9004)!.convert('{1.50}')).toEqual(['1.50']);
    expect(catalog.get(9003)!.name).toBe('amount');
  });

  it('falls back to text for types the server does not know', async () => {
    const catalog = new TypeCatalog(async () => []);
    await catalog.load([424242]);
    expect(catalog.get(424242)!.convert('(1,2)')).toBe('(1,2)');
  });
});
