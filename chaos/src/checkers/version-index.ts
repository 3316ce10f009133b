import { BitSet, type SourceLog } from '../history/index.js';

// A sorted entry packs (slot, version ordinal): slot < 2^26 (versions below 2^24), ordinal < 2^27.
const ORDINAL_BITS = 2 ** 27;
const RANK: Readonly<Record<string, number>> = { ok: 0, info: 1, fail: 2 };

/**
 * Finds the source version a sink record names, without an object per version: the versions'
 * (slot, ordinal) pairs sorted per key in one Float64Array (compressed sparse rows), looked up
 * by binary search. Built once per log revision (O(versions)) and shared by every checker.
 */
export class VersionIndex {
  readonly revision: number;
  private readonly keyStart: Uint32Array;
  private readonly entries: Float64Array;
  /** The first ordinal of each version's identity: checkers key their state by it. */
  private readonly firstOf: Int32Array;
  private readonly shared = new Map<number, number[]>();
  /** Transactions with a version whose identity another transaction also wrote. */
  readonly sharingTxns = new BitSet();

  private constructor(readonly log: SourceLog) {
    this.revision = log.revision;
    const n = log.versionCount;
    const keys = log.keyCount;
    if (n >= ORDINAL_BITS) throw new Error(`the version index holds at most ${ORDINAL_BITS} versions, the log has ${n}`);
    const vKey = log.vKey.view();
    const vSlot = log.vSlot.view();
    this.keyStart = new Uint32Array(keys + 1);
    for (let v = 0; v < n; v++) this.keyStart[vKey[v]! + 1]!++;
    for (let k = 0; k < keys; k++) this.keyStart[k + 1]! += this.keyStart[k]!;
    const fill = this.keyStart.slice(0, keys);
    this.entries = new Float64Array(n);
    for (let v = 0; v < n; v++) {
      const slot = vSlot[v]!;
      if (slot >= 2 ** 26) throw new Error(`version ${slot >> 2} is beyond what the index can hold (2^24)`);
      this.entries[fill[vKey[v]!]!++] = slot * ORDINAL_BITS + v;
    }
    this.firstOf = new Int32Array(n);
    for (let k = 0; k < keys; k++) {
      const start = this.keyStart[k]!;
      const end = this.keyStart[k + 1]!;
      if (end - start > 1) this.entries.subarray(start, end).sort();
      this.markIdentities(start, end);
    }
  }

  /** The index of `log` at its current revision (rebuilt after the log changed). */
  static of(log: SourceLog): VersionIndex {
    const cached = cache.get(log);
    if (cached && cached.revision === log.revision) return cached;
    const index = new VersionIndex(log);
    cache.set(log, index);
    return index;
  }

  /** The first version with this identity, or -1. */
  find(key: number, slot: number): number {
    let lo = this.keyStart[key]!;
    let hi = this.keyStart[key + 1]!;
    const target = slot * ORDINAL_BITS;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.keyStart[key + 1]!) return -1;
    const e = this.entries[lo]!;
    return Math.floor(e / ORDINAL_BITS) === slot ? e % ORDINAL_BITS : -1;
  }

  /** The highest slot (version * 4 + op) the key has, or -1. */
  lastSlot(key: number): number {
    if (key + 1 >= this.keyStart.length) return -1;
    const end = this.keyStart[key + 1]!;
    return end > this.keyStart[key]! ? Math.floor(this.entries[end - 1]! / ORDINAL_BITS) : -1;
  }

  first(v: number): number {
    return this.firstOf[v]!;
  }

  /** Every version sharing `first`'s identity, ok first, then info, then fail; undefined when it is alone. */
  sharing(first: number): readonly number[] | undefined {
    return this.shared.get(first);
  }

  get bytes(): number {
    return this.keyStart.byteLength + this.entries.byteLength + this.firstOf.byteLength + this.sharingTxns.bytes;
  }

  private markIdentities(start: number, end: number): void {
    for (let i = start; i < end; ) {
      const slot = Math.floor(this.entries[i]! / ORDINAL_BITS);
      let j = i + 1;
      while (j < end && Math.floor(this.entries[j]! / ORDINAL_BITS) === slot) j++;
      const first = this.entries[i]! % ORDINAL_BITS;
      for (let x = i; x < j; x++) this.firstOf[this.entries[x]! % ORDINAL_BITS] = first;
      if (j - i > 1) {
        const group: number[] = [];
        for (let x = i; x < j; x++) group.push(this.entries[x]! % ORDINAL_BITS);
        group.sort((a, b) => this.rank(a) - this.rank(b) || a - b);
        this.shared.set(first, group);
        for (const v of group) this.sharingTxns.add(this.log.vTxn.get(v));
      }
      i = j;
    }
  }

  private rank(v: number): number {
    return RANK[this.log.effectiveOutcome(this.log.vTxn.get(v))]!;
  }
}

const cache = new WeakMap<SourceLog, VersionIndex>();
