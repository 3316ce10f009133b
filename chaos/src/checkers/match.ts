import type { RowVersion, SinkHistory, SinkRecord, SourceHistory } from '../history/index.js';
import { recordIdentity } from './identity.js';
import { imageDiff, type ColumnDiff } from './normalize.js';
import { indexSource, type IndexedVersion, type SourceIndex } from './source-index.js';
import type { Token } from './tokens.js';

/** What the source history says about one sink record. */
export type RecordMatch =
  /** A truncate: not a row version; no checker judges it. */
  | { readonly kind: 'ignored' }
  /** The record carries no version column, so it names no version. */
  | { readonly kind: 'unversioned' }
  /** No source version has this identity. */
  | { readonly kind: 'not-written' }
  /** The version of a transaction that failed. */
  | { readonly kind: 'failed'; readonly entry: IndexedVersion }
  /** An ok or info version; `diff` is null when the images agree. */
  | { readonly kind: 'written'; readonly entry: IndexedVersion; readonly diff: ColumnDiff | null };

const IGNORED: RecordMatch = { kind: 'ignored' };
const UNVERSIONED: RecordMatch = { kind: 'unversioned' };
const NOT_WRITTEN: RecordMatch = { kind: 'not-written' };

interface Ambiguous {
  readonly at: number;
  readonly record: SinkRecord;
  readonly choices: readonly IndexedVersion[];
}

const cache = new WeakMap<SinkHistory, { source: SourceHistory; matches: readonly RecordMatch[] }>();

/** One match per record of `sink`, in record order; computed once per (source, sink) pair. */
export function matchRecords(source: SourceHistory, sink: SinkHistory): readonly RecordMatch[] {
  const cached = cache.get(sink);
  if (cached?.source === source) return cached.matches;
  const index = indexSource(source);
  const ambiguous: Ambiguous[] = [];
  const matches = sink.records.map((r, at): RecordMatch => {
    if (r.op === 't') return IGNORED;
    if (r.version === null) return UNVERSIONED;
    if (r.op !== 'r') {
      // The common case: a stream record whose identity one source version has.
      const entry = index.find(r.table, r.key, r.op, r.version);
      if (!entry) return NOT_WRITTEN;
      if (!index.sharing(entry)) return entry.outcome === 'fail' ? { kind: 'failed', entry } : { kind: 'written', entry, diff: recordDiff(entry.version, r) };
    }
    const candidates = candidatesOf(r, r.version, index);
    if (candidates.length === 0) return NOT_WRITTEN;
    const { match, ties } = bestMatch(r, candidates);
    if (ties.length > 1) ambiguous.push({ at, record: r, choices: ties });
    return match;
  });
  if (ambiguous.length > 0) disambiguate(matches, ambiguous, sink.records);
  cache.set(sink, { source, matches });
  return matches;
}

/**
 * What two records share exactly when they are copies of one version: the source entry (first
 * of its identity) for stream records that match one, else the identity string. A snapshot
 * read of a version is a different delivery from the stream record of it.
 */
export function deliveryToken(m: RecordMatch, r: SinkRecord): Token | null {
  if ((m.kind === 'written' || m.kind === 'failed') && r.op !== 'r') return m.entry.first;
  return recordIdentity(r);
}

/** Source versions with the record's identity, ok first, then info, then fail. */
function candidatesOf(r: SinkRecord, version: number, index: SourceIndex): readonly IndexedVersion[] {
  // A snapshot read shows the row as the last write left it.
  const ops = r.op === 'r' ? ['c', 'u'] : [r.op];
  const found = ops.flatMap((op) => {
    const first = index.find(r.table, r.key, op, version);
    return first ? (index.sharing(first) ?? [first]) : [];
  });
  return ops.length > 1 ? found.sort(byOutcome) : found;
}

/**
 * Prefers a written (ok/info) version whose images agree, then a failed one whose images agree,
 * then a written one whose images differ. `ties` are the equally good written candidates.
 */
function bestMatch(r: SinkRecord, candidates: readonly IndexedVersion[]): { match: RecordMatch; ties: readonly IndexedVersion[] } {
  const diffs = candidates.map((e) => recordDiff(e.version, r));
  const pick = (ok: (e: IndexedVersion, diff: ColumnDiff | null) => boolean) => {
    const found = candidates.filter((e, i) => ok(e, diffs[i]!));
    // Candidates are sorted by outcome; only those of the best outcome tie.
    return found.filter((e) => e.outcome === found[0]?.outcome);
  };
  const agreeing = pick((e, d) => e.outcome !== 'fail' && d === null);
  if (agreeing.length > 0) return { match: { kind: 'written', entry: agreeing[0]!, diff: null }, ties: agreeing };
  const failed = pick((e, d) => e.outcome === 'fail' && d === null);
  if (failed.length > 0) return { match: { kind: 'failed', entry: failed[0]! }, ties: [] };
  const differing = pick((e) => e.outcome !== 'fail');
  if (differing.length > 0) return { match: { kind: 'written', entry: differing[0]!, diff: diffs[candidates.indexOf(differing[0]!)]! }, ties: differing };
  return { match: { kind: 'failed', entry: candidates[0]! }, ties: [] };
}

const RANK: Record<string, number> = { ok: 0, info: 1, fail: 2 };
function byOutcome(a: IndexedVersion, b: IndexedVersion): number {
  return RANK[a.outcome]! - RANK[b.outcome]!;
}

/**
 * Two indeterminate transactions wrote the same identity (a delete retried after a lost
 * COMMIT), and only one took effect. Choose the one the sink shows as a whole: the records
 * sharing this record's sink transaction id came from one source transaction, so prefer the
 * candidate most of them could belong to; then the one with most of its other versions
 * delivered; then the later one.
 */
function disambiguate(matches: RecordMatch[], ambiguous: readonly Ambiguous[], records: readonly SinkRecord[]): void {
  const choicesAt = new Map(ambiguous.map((a) => [a.at, a.choices]));
  const delivered = new Set<RowVersion>();
  // sink tx id → source txn id → how many records under that tx id it could have written.
  const votes = new Map<string, Map<number, number>>();
  matches.forEach((m, i) => {
    if (m.kind !== 'written') return;
    const choices = choicesAt.get(i);
    if (!choices) delivered.add(m.entry.version);
    const txId = records[i]!.txId;
    if (txId === null) return;
    const byTxn = votes.get(txId) ?? new Map<number, number>();
    for (const e of choices ?? [m.entry]) byTxn.set(e.txn.id, (byTxn.get(e.txn.id) ?? 0) + 1);
    votes.set(txId, byTxn);
  });
  const score = (record: SinkRecord, e: IndexedVersion): number[] => {
    const others = e.txn.versions.length - 1;
    const present = e.txn.versions.filter((v) => v !== e.version && delivered.has(v)).length;
    return [(record.txId !== null ? votes.get(record.txId)?.get(e.txn.id) : 0) ?? 0, others === 0 ? 1 : present / others, e.txn.id];
  };
  for (const { at, record, choices } of ambiguous) {
    const scored = choices.map((e) => ({ e, s: score(record, e) }));
    scored.sort((a, b) => b.s[0]! - a.s[0]! || b.s[1]! - a.s[1]! || b.s[2]! - a.s[2]!);
    matches[at] = { kind: 'written', entry: scored[0]!.e, diff: recordDiff(scored[0]!.e.version, record) };
  }
}

/** Compares the images an op defines: after for c/u/r, before for u/d (when the source names one). */
export function recordDiff(v: RowVersion, r: SinkRecord): ColumnDiff | null {
  const after = imageDiff(v.op === 'd' ? null : v.after, r.after);
  if (after) return { ...after, column: `after.${after.column}` };
  if (r.op === 'r' || (v.op !== 'c' && v.before === null)) return null;
  const before = imageDiff(v.before, r.before);
  return before ? { ...before, column: `before.${before.column}` } : null;
}
