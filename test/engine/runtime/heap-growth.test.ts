import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../../engine/src/runtime/heap-growth.js';

describe('heap growth default', () => {
  it('applies a growth factor of 2 when node was given none', () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(100);
    expect(heapGrowthFlag([])).toBe('--heap-growing-percent=100');
    expect(heapGrowthFlag(['--no-node-snapshot', '--max-old-space-size=512'])).toBe('--heap-growing-percent=100');
  });

  it("leaves node's own flag alone, in either spelling", () => {
    expect(heapGrowthFlag(['--no-node-snapshot', '--heap-growing-percent=0'])).toBeNull();
    expect(heapGrowthFlag(['--heap_growing_percent=50'])).toBeNull();
    expect(heapGrowthFlag(['--heap-growing-percent', '30'])).toBeNull();
  });

  it('does not mistake a longer flag for it', () => {
    expect(heapGrowthFlag(['--heap-growing-percentile=5'])).toBe('--heap-growing-percent=100');
  });
});
