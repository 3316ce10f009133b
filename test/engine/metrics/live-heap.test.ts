import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { observeLiveHeap } from '../../../engine/src/metrics/live-heap.js';
import { waitFor } from '../../support/poll.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
const fullCollection = () => gc();

async function value(registry: Registry, name: string): Promise<number> {
  const m = registry.getSingleMetric(name);
  return (await m!.get()).values[0]?.value ?? 0;
}

describe('live heap', () => {
  it('records the heap that survived each full collection, without the garbage', async () => {
    const registry = new Registry();
    observeLiveHeap(registry);
    let garbage: number[][] | null = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i + 0.5)); // ~16 MB
    const before = await value(registry, 'tidemark_heap_full_collections_total');
    const withGarbage = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(200);
    garbage = null;
    fullCollection();
    await waitFor('a full collection observed', async () => (await value(registry, 'tidemark_heap_full_collections_total')) > before);
    const live = await value(registry, 'tidemark_heap_live_bytes');
    expect(live).toBeGreaterThan(1_000_000);
    expect(withGarbage - live).toBeGreaterThan(10_000_000);
  });

  it('ignores minor collections (a scavenge leaves old garbage in place)', async () => {
    const registry = new Registry();
    observeLiveHeap(registry);
    const minorSeen = new Promise<void>((resolve) => {
      const watch = new PerformanceObserver((list) => {
        if (list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)) {
          watch.disconnect();
          resolve();
        }
      });
      watch.observe({ entryTypes: ['gc'] });
    });
    const before = await value(registry, 'tidemark_heap_full_collections_total');
    gc({ type: 'minor' });
    await minorSeen;
    await new Promise((resolve) => setImmediate(resolve)); // every observer has had this delivery
    expect(await value(registry, 'tidemark_heap_full_collections_total')).toBe(before);
  });
});
