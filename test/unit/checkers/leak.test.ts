import { describe, expect, it } from 'vitest';
import { leakChecker, type RunFacts } from '../../../chaos/src/checkers/index.js';
import { healthyFacts } from './world.js';

const T0 = 1_800_000_000_000;

/** Samples every second for `seconds`, heap every 5th (as the monitor takes them), `heap(t)` with GC sawtooth. */
function samples(seconds: number, heap: (s: number) => number, pid = (_s: number) => 100): NonNullable<RunFacts['engineMemory']>['samples'] {
  return Array.from({ length: seconds }, (_, s) => ({ t: T0 + s * 1000, pid: pid(s), rssMb: 150 + heap(s) / 2, heapMb: s % 5 === 0 ? heap(s) + (s % 20) * 3 : null }));
}

function check(m: NonNullable<RunFacts['engineMemory']>['samples'], warmup = 0.25) {
  return leakChecker.check({ source: { source: 'mysql', txns: [], primaryKeys: {} }, sinks: [], faults: [], facts: { ...healthyFacts([]), engineMemory: { samples: m, warmup, maxMbPerHour: 60 } } })[0]!;
}

describe('leak', () => {
  it('is valid for a heap that saws up and down around a level', () => {
    expect(check(samples(600, () => 80))).toMatchObject({ validity: 'valid' });
  });

  it('catches a heap whose minimum keeps rising, with the slope', () => {
    const v = check(samples(600, (s) => 80 + s * 0.2)); // 0.2 MB/s = 720 MB/h
    expect(v.validity).toBe('invalid');
    expect(v.counts.heapMbPerHour).toBeGreaterThan(500);
  });

  it('ignores slow growth too small to tell from GC timing, and the warm-up', () => {
    expect(check(samples(600, (s) => 80 + s * 0.01)).validity).toBe('valid'); // 36 MB/h, 4.5 MB judged
    expect(check(samples(600, (s) => (s < 150 ? 20 + s : 170))).validity).toBe('valid'); // grows only while warming up
  });

  it('judges each engine process on its own: a restart resets the heap', () => {
    // Flat in each process, but higher after the restart: one line through both would rise.
    const restartAt = 300;
    expect(check(samples(600, (s) => (s < restartAt ? 40 : 120), (s) => (s < restartAt ? 100 : 200))).validity).toBe('valid');
  });

  it('is unknown without heap samples or with too little judged data', () => {
    expect(check(samples(600, () => 80).map((x) => ({ ...x, heapMb: null }))).validity).toBe('unknown');
    expect(check(samples(20, () => 80)).validity).toBe('unknown');
  });
});
