/**
 * Growable typed-array columns: how the compact histories keep millions of row versions without
 * an object per version (an object costs ~100 bytes; a column entry 1 to 8).
 */
type TypedArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

export class Column<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly kind: TypedArrayConstructor<T>,
    initial = 1024,
  ) {
    this.data = new kind(initial);
  }

  push(value: number): number {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length] = value;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** Makes room for `n` entries (filled with 0) and sets the length to at least `n`. */
  ensure(n: number): void {
    if (n > this.data.length) this.grow(n);
    if (n > this.length) this.length = n;
  }

  /** Drops the unused room (after the last push). */
  trim(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, Math.max(1, this.length)) as T;
  }

  /** Room for `n` entries without growing (the length stays). */
  reserve(n: number): void {
    if (n > this.data.length) this.grow(n, true);
  }

  /** The live entries as a view (no copy); invalid after the next push that grows the column. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  private grow(min: number, exact = false): void {
    const next = new this.kind(exact ? min : Math.max(min, Math.ceil(this.data.length * 1.5), 1024));
    next.set(this.data);
    this.data = next;
  }
}

export const uint8 = (n?: number) => new Column(Uint8Array, n);
export const uint16 = (n?: number) => new Column(Uint16Array, n);
export const int32 = (n?: number) => new Column(Int32Array, n);
export const uint32 = (n?: number) => new Column(Uint32Array, n);
export const float64 = (n?: number) => new Column(Float64Array, n);

/** A set of small non-negative integers as one bit each, growing on demand. */
export class BitSet {
  private words = new Uint32Array(64);
  size = 0;

  add(i: number): boolean {
    const w = i >>> 5;
    if (w >= this.words.length) {
      const next = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      next.set(this.words);
      this.words = next;
    }
    const bit = 1 << (i & 31);
    if ((this.words[w]! & bit) !== 0) return false;
    this.words[w]! |= bit;
    this.size++;
    return true;
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (i & 31))) !== 0;
  }

  get bytes(): number {
    return this.words.byteLength;
  }
}
