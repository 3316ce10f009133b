import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFromBinlog, planFromFields } from '../../../../../engine/src/sources/mysql/protocol/column-kinds.js';
import { bitValue, convertRow, timestampIso } from '../../../../../engine/src/sources/mysql/protocol/values.js';
import { shortestFloat32 } from '../../../../../engine/src/util/float32.js';

describe('column values', () => {
  it('reads BIT(1) as a boolean and wider BITs as unsigned integers, strings beyond 2^53', () => {
    expect(bitValue(Buffer.from([1]), 1)).toBe(true);
    expect(bitValue(Buffer.from([0]), 1)).toBe(false);
    expect(bitValue(Buffer.from([0x02, 0xaa]), 10)).toBe(682);
    expect(bitValue(Buffer.alloc(8, 0xff), 64)).toBe('18446744073709551615');
  });

  it('writes TIMESTAMPs as UTC instants and leaves the zero date without a zone', () => {
    expect(timestampIso('2024-05-06 07:08:09.654321')).toBe('2024-05-06T07:08:09.654321Z');
    expect(timestampIso('0000-00-00 00:00:00')).toBe('0000-00-00T00:00:00');
  });

  it('gives FLOAT the shortest decimal of its binary32 value', () => {
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(Math.fround(3.14159))).toBe(3.14159);
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => Object.is(Math.fround(shortestFloat32(f)), Math.fround(f)) || (f === 0 && shortestFloat32(f) === 0)));
  });

  it('converts a row in place: special columns by type, any other Buffer to base64', () => {
    const plan = planFromBinlog([
      { name: 'b', type: 16, metadata: { bits: 1 } },
      { name: 'dt', type: 18 },
      { name: 'ts', type: 17 },
      { name: 'f', type: 4 },
      { name: 'blob', type: 252 },
      { name: 'n', type: 3 },
    ]);
    const row: Record<string, unknown> = { b: Buffer.from([1]), dt: '2024-01-02 03:04:05.5', ts: '2024-01-02 03:04:05', f: Math.fround(0.1), blob: Buffer.from([0, 255]), n: 7 };
    convertRow(row, plan.special, plan.bufferColumns);
    expect(row).toEqual({ b: true, dt: '2024-01-02T03:04:05.5', ts: '2024-01-02T03:04:05Z', f: 0.1, blob: 'AP8=', n: 7 });
  });

  it('plans snapshot rows from the text protocol field types the same way', () => {
    const plan = planFromFields([
      { name: 'dt', columnType: 12 },
      { name: 'ts', columnType: 7 },
      { name: 'b', columnType: 16, columnLength: 10 },
      { name: 'vb', columnType: 253 },
    ]);
    expect(plan.special.map((c) => [c.name, c.kind, c.bits])).toEqual([['dt', 'datetime', 0], ['ts', 'timestamp', 0], ['b', 'bit', 10]]);
    expect(plan.bufferColumns).toEqual(['vb']);
  });
});
