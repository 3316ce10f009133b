import { describe, expect, it } from 'vitest';
import { bucketDelta, buckets, histogramQuantile, parsePromText, select, total } from '../../../chaos/src/playground/prom-text.js';

const TEXT = `# HELP tidemark_sink_events_total Events delivered.
# TYPE tidemark_sink_events_total counter
tidemark_sink_events_total{pipeline="p",sink="kafka"} 120
tidemark_sink_events_total{pipeline="p",sink="redis"} 100
tidemark_sink_events_total{pipeline="q",sink="kafka"} 7
# TYPE tidemark_stage_latency_seconds histogram
tidemark_stage_latency_seconds_bucket{pipeline="p",stage="deliver",le="0.01"} 50
tidemark_stage_latency_seconds_bucket{pipeline="p",stage="deliver",le="0.1"} 90
tidemark_stage_latency_seconds_bucket{pipeline="p",stage="deliver",le="1"} 100
tidemark_stage_latency_seconds_bucket{pipeline="p",stage="deliver",le="+Inf"} 100
tidemark_stage_latency_seconds_sum{pipeline="p",stage="deliver"} 3.2
tidemark_stage_latency_seconds_count{pipeline="p",stage="deliver"} 100
tidemark_stage_latency_seconds_bucket{pipeline="p",stage="process",le="+Inf"} 999
tidemark_process_resident_memory_bytes 104857600
odd_label{msg="a \\"quoted\\" word, and a comma"} 1
`;

describe('Prometheus text parsing', () => {
  const samples = parsePromText(TEXT);

  it('reads names, labels and values, including escaped label values', () => {
    expect(select(samples, 'tidemark_sink_events_total', { pipeline: 'p' }).map((s) => [s.labels.sink, s.value])).toEqual([['kafka', 120], ['redis', 100]]);
    expect(total(samples, 'tidemark_process_resident_memory_bytes')).toBe(104_857_600);
    expect(select(samples, 'odd_label')[0]?.labels.msg).toBe('a "quoted" word, and a comma');
  });

  it('computes quantiles like histogram_quantile, per label set', () => {
    const b = buckets(samples, 'tidemark_stage_latency_seconds', { pipeline: 'p', stage: 'deliver' });
    expect([...b.entries()]).toEqual([[0.01, 50], [0.1, 90], [1, 100], [Infinity, 100]]);
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.01, 6);
    // rank 99 of 100 lies in (0.1, 1]: 0.1 + 0.9 * (99 - 90) / 10
    expect(histogramQuantile(0.99, b)).toBeCloseTo(0.91, 6);
    expect(histogramQuantile(0.99, new Map([[1, 0], [Infinity, 0]]))).toBeNull();
  });

  it('takes the difference of two readings (what happened in between)', () => {
    const before = new Map([[0.01, 40], [0.1, 80], [1, 80], [Infinity, 80]]);
    const now = buckets(samples, 'tidemark_stage_latency_seconds', { pipeline: 'p', stage: 'deliver' });
    const delta = bucketDelta(now, before);
    expect([...delta.values()]).toEqual([10, 10, 20, 20]);
    expect(histogramQuantile(0.99, delta)).toBeCloseTo(0.1 + 0.9 * (19.8 - 10) / 10, 6);
  });
});
