import { int32, type Column } from '../history/index.js';

/**
 * The idempotency keys and positions of the most recent first copies, so that a duplicate's
 * example can name its original without keeping a string per version: replays follow their
 * original closely (a retried batch, a suffix replayed after a crash). Older originals are
 * named only when still here, else null. A ring of slots, found through a column indexed by
 * token: no Map, whose churn cost more than everything else a checker does per record.
 */
export class RecentFirsts {
  private readonly tokens: Int32Array;
  private readonly keys: (string | null)[];
  private readonly positions: string[];
  private readonly slotOf: Column<Int32Array> = int32();
  private next = 0;
  private used = 0;

  constructor(private readonly capacity = 100_000) {
    this.tokens = new Int32Array(capacity).fill(-1);
    this.keys = new Array<string | null>(capacity).fill(null);
    this.positions = new Array<string>(capacity).fill('');
  }

  remember(token: number, key: string | null, position: string): void {
    const slot = this.next;
    this.next = (slot + 1) % this.capacity;
    this.tokens[slot] = token;
    this.keys[slot] = key;
    this.positions[slot] = position;
    this.slotOf.ensure(token + 1);
    this.slotOf.set(token, slot + 1);
    this.used = Math.min(this.capacity, this.used + 1);
  }

  get(token: number): { key: string | null; position: string } | undefined {
    if (token >= this.slotOf.length) return undefined;
    const slot = this.slotOf.get(token) - 1;
    return slot >= 0 && this.tokens[slot] === token ? { key: this.keys[slot]!, position: this.positions[slot]! } : undefined;
  }

  /** The key of the first of `tokens` still remembered. */
  keyOf(tokens: readonly (number | string)[]): string | null {
    for (const t of tokens) if (typeof t === 'number') return this.get(t)?.key ?? null;
    return null;
  }

  get bytes(): number {
    // Two short strings per used slot besides the columns: ~100 bytes.
    return this.tokens.byteLength + this.slotOf.bytes + this.used * 100;
  }
}
