import type { Processor } from './processor.js';

/** Passes every event through untouched: the empty slot of a processor chain (benchmarks, tests). */
export function noopProcessor(id = 'noop'): Processor {
  return { id, process: (events) => events };
}
