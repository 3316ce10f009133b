import type { Position } from '../event/index.js';

export type Compare = (a: Position, b: Position) => number;

/** The earliest of the positions that exist (in the source's order), or null when none does. */
export function minimumPosition(positions: Iterable<Position | null | undefined>, compare: Compare): Position | null {
  let min: Position | null = null;
  for (const p of positions) if (p && (min === null || compare(p, min) < 0)) min = p;
  return min;
}
