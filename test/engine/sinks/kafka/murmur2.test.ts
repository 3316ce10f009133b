import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../../../../engine/src/sinks/kafka/murmur2.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

describe('murmur2 (Java Kafka partitioner)', () => {
  it('matches the test vectors of Kafka\'s UtilsTest.testMurmur2', () => {
    const cases: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [input, expected] of cases) expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it('agrees with kafkajs\' own murmur2 on any bytes (so checkpoint partitions match the client\'s)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => murmur2(bytes) === kafkajsMurmur2(Buffer.from(bytes))), { numRuns: 2000 });
  });

  it('maps keys onto [0, partitions)', () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 200 }), (key, n) => {
      const p = partitionForKey(Buffer.from(key), n);
      return Number.isInteger(p) && p >= 0 && p < n;
    }));
  });
});
