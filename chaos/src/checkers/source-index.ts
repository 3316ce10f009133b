import type { Outcome, RowVersion, SourceHistory, SourceTxn } from '../history/index.js';
import { opCode } from './identity.js';

export interface IndexedVersion {
  readonly version: RowVersion;
  readonly txn: SourceTxn;
  /**
   * What checkers take the transaction's outcome to be: an `info` transaction that the workload
   * resolved by reading its keys afterwards counts as `ok` (committed) or `fail` (rolled back).
   */
  readonly outcome: Outcome;
  /**
   * The first version with the same identity (itself, nearly always): checkers key maps by it,
   * so two records of one identity meet in one entry without building identity strings.
   */
  readonly first: IndexedVersion;
  /** Position in `SourceIndex.all`: lets checkers keep per-version state in flat arrays. */
  readonly ordinal: number;
}

export interface SourceIndex {
  /** The first version with this identity. */
  find(table: string, key: string, op: string, version: number): IndexedVersion | undefined;
  /** Every version sharing `first`'s identity, ok first, then info, then fail (undefined: only itself). */
  sharing(first: IndexedVersion): readonly IndexedVersion[] | undefined;
  /** Every version of every transaction, in transaction order. */
  readonly all: readonly IndexedVersion[];
  /** Versions by source transaction id. */
  readonly byTxn: ReadonlyMap<number, readonly IndexedVersion[]>;
  readonly tables: ReadonlySet<string>;
}

const RANK: Record<string, number> = { ok: 0, info: 1, fail: 2 };

// Several checkers judge the same history; index it once.
const cache = new WeakMap<SourceHistory, SourceIndex>();

/**
 * Indexes versions by identity in nested maps (table → key → version and op), so that looking
 * up 100k sink records builds no strings. An identity is shared by several versions only when
 * a failed or indeterminate transaction's write was written again.
 */
export function indexSource(source: SourceHistory): SourceIndex {
  const cached = cache.get(source);
  if (cached) return cached;
  const tables = new Map<string, Map<string, Map<number, IndexedVersion>>>();
  const shared = new Map<IndexedVersion, IndexedVersion[]>();
  const byTxn = new Map<number, IndexedVersion[]>();
  const all: IndexedVersion[] = [];
  for (const txn of source.txns) {
    const outcome = effectiveOutcome(txn);
    const inTxn: IndexedVersion[] = [];
    for (const version of txn.versions) {
      let keys = tables.get(version.table);
      if (!keys) tables.set(version.table, (keys = new Map()));
      let versions = keys.get(version.key);
      if (!versions) keys.set(version.key, (versions = new Map()));
      const slot = slotOf(version.op, version.version);
      const first = versions.get(slot);
      const entry = { version, txn, outcome, ordinal: all.length } as { -readonly [K in keyof IndexedVersion]: IndexedVersion[K] };
      entry.first = first ?? entry;
      if (!first) versions.set(slot, entry);
      else {
        const same = shared.get(first) ?? [first];
        same.push(entry);
        shared.set(first, same.sort((a, b) => RANK[a.outcome]! - RANK[b.outcome]!));
      }
      inTxn.push(entry);
      all.push(entry);
    }
    byTxn.set(txn.id, inTxn);
  }
  const index: SourceIndex = {
    find: (table, key, op, version) => tables.get(table)?.get(key)?.get(slotOf(op, version)),
    sharing: (first) => shared.get(first),
    all,
    byTxn,
    tables: new Set(tables.keys()),
  };
  cache.set(source, index);
  return index;
}

function effectiveOutcome(txn: SourceTxn): Outcome {
  if (txn.outcome !== 'info' || !txn.resolution) return txn.outcome;
  return txn.resolution === 'committed' ? 'ok' : 'fail';
}

function slotOf(op: string, version: number): number {
  return version * 4 + opCode(op);
}

/** A set of versions of one index, as one byte per version: no hashing on hot paths. */
export class VersionSet {
  private readonly bits: Uint8Array;

  constructor(index: SourceIndex) {
    this.bits = new Uint8Array(index.all.length);
  }

  add(e: IndexedVersion): void {
    this.bits[e.ordinal] = 1;
  }

  has(e: IndexedVersion): boolean {
    return this.bits[e.ordinal] === 1;
  }
}
