import { describe, expect, it } from 'vitest';
import { timeline, type Sample } from '../../../bench/src/vs-debezium/topic-watch.js';
import { markdown } from '../../../bench/src/vs-debezium.js';

const sample = (at: number, ends: number[], cpu = at / 1000): Sample => ({ at, ends, system: { cpuSeconds: cpu, rssMb: 100, peakRssMb: 120 }, broker: null });

describe('vs-debezium timeline', () => {
  it('counts data records only: transaction markers take offsets but are not events', () => {
    // Partition 0 holds data at 0..2, a marker at 3, data at 4..5; partition 1 data at 0, marker at 1, data at 2.
    const data = [[0, 1, 2, 4, 5], [0, 2]];
    const samples = [sample(0, [0, 0]), sample(50, [3, 0]), sample(100, [4, 2]), sample(150, [5, 2]), sample(200, [6, 3])];
    // At 100 ms: 3 + 1 = 4 data records (offset 3 is a marker); the 7th arrives at 200 ms.
    expect(timeline(samples, data, 4)).toMatchObject({ firstAt: 50, nthAt: 100 });
    expect(timeline(samples, data, 7)).toMatchObject({ firstAt: 50, nthAt: 200 });
  });

  it('fails clearly when the samples never show the Nth record', () => {
    expect(() => timeline([sample(0, [2])], [[0, 1]], 3)).toThrow(/never showed 3 records/);
  });
});

describe('vs-debezium table', () => {
  it('gives ratios to Debezium and to the ceiling, and exactly-once against at-least-once', () => {
    const m = (system: string, eventsPerSecond: number) => ({ system, rows: 1000, eventsPerSecond, firstEventSeconds: 1, peakRssMb: 100, cpuSecondsPerMillion: 10, brokerCpuSecondsPerMillion: 5, avgValueBytes: 300, contents: { dataOffsets: [], records: 1000, distinctRows: 1000, valueBytes: 0, keyBytes: 0, sampleValues: [] } });
    const text = markdown([{ source: 'mysql', backlog: { rows: 1000, loadSeconds: 1 }, debezium: m('Debezium', 10_000), tidemark: [{ variant: 'alo', measured: m('Tidemark at-least-once', 30_000) }, { variant: 'eos', measured: m('Tidemark exactly-once', 27_000) }], ceiling: m('ceiling', 40_000) }]);
    expect(text).toContain('| MariaDB | Tidemark at-least-once | 30,000 | 3.00× | 75% |');
    expect(text).toContain('| 27,000 (-10.0% vs ALO) | 2.70× | 68% |');
  });
});
