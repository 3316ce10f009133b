import { describe, expect, it } from 'vitest';
import { leakChecker, type EngineMemorySample } from '../../../chaos/src/checkers/index.js';
import { healthyFacts } from './world.js';

const T0 = 1_800_000_000_000;

interface Heap {
  /** What survives a full collection at second `s`. */
  readonly live: (s: number) => number;
  /** Seconds between full collections. */
  readonly fullEvery?: number;
  /** Old garbage piling up between full collections, MB per second. */
  readonly garbagePerS?: number;
  readonly pid?: (s: number) => number;
}

/**
 * Samples every second for `seconds`, the heap every 5th (as the monitor takes them): heap used
 * is the live heap plus the garbage since the last full collection, `liveMb` what that collection left.
 */
function samples(seconds: number, h: Heap): EngineMemorySample[] {
  const { fullEvery = 20, garbagePerS = 0.5, pid = () => 100 } = h;
  return Array.from({ length: seconds }, (_, s) => {
    const lastFull = Math.floor(s / fullEvery) * fullEvery;
    const heap = s % 5 === 0;
    return { t: T0 + s * 1000, pid: pid(s), rssMb: 150 + h.live(s) / 2, heapMb: heap ? h.live(s) + (s - lastFull) * garbagePerS : null, liveMb: heap ? h.live(lastFull) : null, fullCollections: heap ? Math.floor(s / fullEvery) : null };
  });
}

function check(m: EngineMemorySample[], warmup = 0.25) {
  return leakChecker.check({ source: { source: 'mysql', txns: [], primaryKeys: {} }, sinks: [], faults: [], facts: { ...healthyFacts([]), engineMemory: { samples: m, warmup, maxMbPerHour: 60 } } })[0]!;
}

describe('leak', () => {
  it('is valid for a live heap that stays level while garbage saws up and down', () => {
    expect(check(samples(600, { live: () => 80 }))).toMatchObject({ validity: 'valid' });
  });

  it('is valid when heap used climbs for minutes between rare full collections (old garbage, not a leak)', () => {
    // 0.3 MB/s of garbage for 150 s: heap used alone rose 45 MB over a 130 s span in a healthy soak.
    const v = check(samples(600, { live: () => 80, fullEvery: 150, garbagePerS: 0.3 }));
    expect(v).toMatchObject({ validity: 'valid' });
    expect(v.counts.fullCollections).toBe(3);
  });

  it('catches a live heap that keeps rising, with the slope', () => {
    const v = check(samples(600, { live: (s) => 80 + s * 0.2 })); // 0.2 MB/s = 720 MB/h
    expect(v.validity).toBe('invalid');
    expect(v.counts.heapMbPerHour).toBeGreaterThan(500);
    expect(v.summary).toMatch(/live heap grows \d+/);
  });

  it('ignores slow growth too small to tell from what is in flight at a collection, and the warm-up', () => {
    expect(check(samples(600, { live: (s) => 80 + s * 0.01 })).validity).toBe('valid'); // 36 MB/h, 4.5 MB judged
    expect(check(samples(600, { live: (s) => (s < 150 ? 20 + s : 170) })).validity).toBe('valid'); // grows only while warming up
  });

  it('judges each engine process on its own: a restart resets the heap', () => {
    // Flat in each process, but higher after the restart: one line through both would rise.
    const restartAt = 300;
    const m = samples(600, { live: (s) => (s < restartAt ? 40 : 120), pid: (s) => (s < restartAt ? 100 : 200) });
    expect(check(m).validity).toBe('valid');
  });

  it('is unknown without live-heap samples, with too little judged data, or with too few full collections', () => {
    expect(check(samples(600, { live: () => 80 }).map((x) => ({ ...x, liveMb: null }))).validity).toBe('unknown');
    expect(check(samples(20, { live: () => 80 })).validity).toBe('unknown');
    const rare = check(samples(300, { live: (s) => 80 + s, fullEvery: 200 }));
    expect(rare.validity).toBe('unknown');
    expect(rare.summary).toMatch(/too few full garbage collections/);
  });
});
