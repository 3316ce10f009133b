import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fanOutMetrics, PipelineActivity, percentile } from '../../../engine/src/metrics/index.js';

describe('PipelineActivity', () => {
  it('summarises a window (batches, events, lag, sink percentiles) and starts a new one', () => {
    let now = 1_000_000;
    const a = new PipelineActivity(() => now);
    const m = a.metrics;
    m.coordinator.batchSealed(10, 100);
    m.coordinator.batchSealed(30, 300);
    m.source('s').lag(1.5);
    for (let i = 1; i <= 100; i++) m.sink('k').delivered(1, 1, i / 1000);
    m.sink('k').failed('retryable');
    now += 30_000;
    const w = a.takeWindow();
    expect(w).toMatchObject({ seconds: 30, batches: 2, events: 40, bytes: 400, lagSeconds: 1.5 });
    expect(w.sinks).toEqual([{ id: 'k', batches: 100, errors: 1, p50Ms: 50, p95Ms: 95, p99Ms: 99 }]);
    const next = a.takeWindow();
    expect(next).toMatchObject({ batches: 0, events: 0 });
    expect(next.sinks[0]).toMatchObject({ batches: 0, errors: 0, p50Ms: null });
    expect(a.totals()).toEqual({ lagSeconds: 1.5, sinkErrors: { k: 1 }, sinkEvents: { k: 100 } });
  });

  it('keeps memory bounded on busy sinks', () => {
    const a = new PipelineActivity();
    for (let i = 0; i < 50_000; i++) a.metrics.sink('k').delivered(1, 1, i < 25_000 ? 0.001 : 0.009);
    expect((a as unknown as { sinkActivity: Map<string, { samples: number[] }> }).sinkActivity.get('k')!.samples.length).toBe(1024);
    const w = a.takeWindow().sinks[0]!;
    expect(w.batches).toBe(50_000);
    // The reservoir stays a fair sample: half the calls were fast, half slow.
    expect(w.p50Ms === 1 || w.p50Ms === 9).toBe(true);
    expect(w.p99Ms).toBe(9);
  });
});

describe('percentile (nearest rank)', () => {
  it('returns an element of the input between min and max, monotone in q', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q1, q2) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
        const p = percentile(sorted, lo)!;
        expect(sorted).toContain(p);
        expect(p).toBeLessThanOrEqual(percentile(sorted, hi)!);
      }),
    );
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('fanOutMetrics', () => {
  it('reports every hook to every target', () => {
    const a = new PipelineActivity();
    const b = new PipelineActivity();
    const m = fanOutMetrics([a.metrics, b.metrics]);
    m.coordinator.batchSealed(3, 30);
    m.sink('k').delivered(3, 30, 0.01);
    m.source('s').lag(4);
    for (const x of [a, b]) {
      expect(x.takeWindow()).toMatchObject({ batches: 1, events: 3, lagSeconds: 4 });
    }
  });
});
