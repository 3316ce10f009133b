import type { IndexedVersion } from './source-index.js';

/** What identifies a delivery: a source entry, or an identity string when it matches none (see `deliveryToken`). */
export type Token = IndexedVersion | string;

/**
 * A map keyed by tokens: entries by ordinal in a flat array, the rare strings in a Map. Hashing
 * 100k identities per checker is what made the checkers slow; array slots cost nothing.
 */
export class TokenMap<V> {
  private readonly byOrdinal: (V | undefined)[];
  private readonly byString = new Map<string, V>();

  constructor(versions: number) {
    this.byOrdinal = new Array<V | undefined>(versions);
  }

  get(t: Token): V | undefined {
    return typeof t === 'string' ? this.byString.get(t) : this.byOrdinal[t.first.ordinal];
  }

  set(t: Token, v: V): void {
    if (typeof t === 'string') this.byString.set(t, v);
    else this.byOrdinal[t.first.ordinal] = v;
  }
}
