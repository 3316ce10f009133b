import { seededRandom } from '@tidemark/engine/util/backoff';

/**
 * A small seeded PRNG (mulberry32) so the same seed gives the same intended operations. Each
 * writer draws from its own stream (`forWriter`), so the interleaving of writers does not
 * change what any one of them plans.
 */
export class Rng {
  /** Uniform in [0, 1): the engine's mulberry32, so one algorithm serves every seeded run. */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  static forWriter(seed: number, writer: number): Rng {
    // Mix the writer id in with a large odd constant so neighbouring seeds do not overlap.
    return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(writer + 1, 0xc2b2ae35));
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Index drawn with the given non-negative weights (at least one positive). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
