import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 may grow the old generation past what the last full collection left: a factor of
 * 1 + percent/100. Left to itself, V8 picks up to 4x when the program allocates fast, and a
 * backlog drain does: the engine's live heap stayed near 50 MB while its heap reached 220 MB of
 * dead batches (RSS 341 MB). A factor of 2 measured RSS 260 MB at events/s within the machine's
 * noise and 0-12% more CPU per event (docs/benchmarks.md, "The engine's memory"). It bounds
 * growth only, not the heap: a large transaction still gets all the memory it needs.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 100;

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/** The V8 flag to apply, or null when node was started with its own (`node --heap-growing-percent=0` restores V8's choice). */
export function heapGrowthFlag(execArgv: readonly string[]): string | null {
  return execArgv.some((arg) => FLAG.test(arg)) ? null : `--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`;
}

/** Applies the default growth factor to this process unless node was given one; returns the flag applied. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): string | null {
  const flag = heapGrowthFlag(execArgv);
  if (flag) setFlagsFromString(flag);
  return flag;
}
