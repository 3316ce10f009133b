import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The live heap: heap used right after each full (mark-compact) collection. `heap_size_used`
 * at an arbitrary instant also counts garbage the old generation has not collected yet, which
 * can climb for minutes between full collections; only the value after one says what survived.
 * A leak check fits this series (chaos `leak` checker), one point per full collection.
 */
export function observeLiveHeap(registry: Registry): void {
  const live = new Gauge({ name: 'tidemark_heap_live_bytes', help: 'Heap used right after the latest full (mark-compact) garbage collection: what survived it.', registers: [registry] });
  const collections = new Counter({ name: 'tidemark_heap_full_collections_total', help: 'Full (mark-compact) garbage collections; each updates tidemark_heap_live_bytes.', registers: [registry] });
  const observer = new PerformanceObserver((list) => {
    const full = list.getEntries().filter((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full.length === 0) return;
    // Read at delivery, shortly after the collection: the little allocated since is noise next to a leak.
    live.set(getHeapStatistics().used_heap_size);
    collections.inc(full.length);
  });
  observer.observe({ entryTypes: ['gc'] });
}
