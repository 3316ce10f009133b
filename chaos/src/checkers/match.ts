import { actualFingerprint, NO_IMAGE, NOT_JUDGED, OP_CODE, type RowVersion, type SinkRecord, type SourceLog } from '../history/index.js';
import { imageDiff, type ColumnDiff } from './normalize.js';
import type { VersionIndex } from './version-index.js';

/** A record matched to the source version (ordinal `v` of the log) it names. */
export interface WrittenMatch {
  readonly kind: 'written';
  readonly v: number;
  /** Null when the images agree. */
  readonly diff: ColumnDiff | null;
  /** The record's image fingerprints over the version's shapes (after, before). */
  readonly fps: readonly [number, number];
}

/** What the source history says about one sink record. */
export type RecordMatch =
  /** A truncate: not a row version; no checker judges it. */
  | { readonly kind: 'ignored' }
  /** The record carries no version column, so it names no version. */
  | { readonly kind: 'unversioned' }
  /** No source version has this identity. */
  | { readonly kind: 'not-written' }
  /** The version of a transaction that failed. */
  | { readonly kind: 'failed'; readonly v: number }
  | WrittenMatch
  /**
   * Two indeterminate transactions wrote this identity with images the record fits equally
   * well; the sink pass decides between `choices` once it has seen every record.
   */
  | { readonly kind: 'ambiguous'; readonly first: number; readonly choices: readonly number[] };

export const IGNORED: RecordMatch = { kind: 'ignored' };
const UNVERSIONED: RecordMatch = { kind: 'unversioned' };
const NOT_WRITTEN: RecordMatch = { kind: 'not-written' };

/**
 * Matches sink records to source versions by identity (table, key, op, version) and compares
 * their images by fingerprint; a fingerprint that differs is confirmed on the stored images
 * with `imageDiff`, which has the last word (docs/checkers.md, "Normalisation").
 */
export class Matcher {
  /** Fingerprint mismatches that the stored images showed equal after all (a cost, not an error). */
  slowPathEqual = 0;

  constructor(
    private readonly log: SourceLog,
    private readonly index: () => VersionIndex,
  ) {}

  match(r: SinkRecord): RecordMatch {
    if (r.op === 't') return IGNORED;
    if (r.version === null) return UNVERSIONED;
    const table = this.log.tableId(r.table);
    if (table === undefined) return NOT_WRITTEN;
    const key = this.log.findKey(table, r.key);
    if (key === undefined) return NOT_WRITTEN;
    const index = this.index();
    if (r.op !== 'r') {
      // The common case: a stream record whose identity one source version has.
      const first = index.find(key, r.version * 4 + OP_CODE[r.op]!);
      if (first < 0) return NOT_WRITTEN;
      if (!index.sharing(first)) {
        if (this.log.effectiveOutcome(this.log.vTxn.get(first)) === 'fail') return { kind: 'failed', v: first };
        return this.written(first, r);
      }
    }
    const candidates = this.candidates(r, key, r.version, index);
    if (candidates.length === 0) return NOT_WRITTEN;
    return this.best(r, candidates, index);
  }

  /** The record as a delivery of version `v`, its images compared with the source's. */
  written(v: number, r: SinkRecord): WrittenMatch {
    const log = this.log;
    const after = actualFingerprint(r.after, log.shape(log.vAfterShape.get(v)));
    const before = actualFingerprint(r.before, log.shape(log.vBeforeShape.get(v)));
    const afterFp = log.vAfterFp.get(v);
    let same = after === afterFp || (afterFp === NO_IMAGE && r.after === null);
    if (same && r.op !== 'r') {
      const beforeFp = log.vBeforeFp.get(v);
      if (beforeFp !== NOT_JUDGED) same = before === beforeFp;
    }
    if (same) return { kind: 'written', v, diff: null, fps: [after, before] };
    const diff = recordDiff(log.rowVersion(v), r);
    if (diff === null) this.slowPathEqual++;
    return { kind: 'written', v, diff, fps: [after, before] };
  }

  /** Source versions with the record's identity, ok first, then info, then fail. */
  private candidates(r: SinkRecord, key: number, version: number, index: VersionIndex): number[] {
    // A snapshot read shows the row as the last write left it.
    const ops = r.op === 'r' ? [0, 1] : [OP_CODE[r.op]!];
    const found: number[] = [];
    for (const op of ops) {
      const first = index.find(key, version * 4 + op);
      if (first >= 0) found.push(...(index.sharing(first) ?? [first]));
    }
    if (ops.length > 1) found.sort((a, b) => rank(this.log, a) - rank(this.log, b));
    return found;
  }

  /**
   * Prefers a written (ok/info) version whose images agree, then a failed one whose images agree,
   * then a written one whose images differ. Equally good written candidates are ambiguous.
   */
  private best(r: SinkRecord, candidates: readonly number[], index: VersionIndex): RecordMatch {
    const log = this.log;
    const matches = candidates.map((v) => this.written(v, r));
    const diffs = matches.map((m) => m.diff);
    const outcome = (v: number) => log.effectiveOutcome(log.vTxn.get(v));
    const pick = (ok: (v: number, diff: ColumnDiff | null) => boolean) => {
      const found = candidates.filter((v, i) => ok(v, diffs[i]!));
      return found.filter((v) => outcome(v) === (found[0] === undefined ? undefined : outcome(found[0])));
    };
    const agreeing = pick((v, d) => outcome(v) !== 'fail' && d === null);
    if (agreeing.length > 1) return { kind: 'ambiguous', first: index.first(agreeing[0]!), choices: agreeing };
    if (agreeing.length === 1) return matches[candidates.indexOf(agreeing[0]!)]!;
    const failed = pick((v, d) => outcome(v) === 'fail' && d === null);
    if (failed.length > 0) return { kind: 'failed', v: failed[0]! };
    const differing = pick((v) => outcome(v) !== 'fail');
    if (differing.length > 1) return { kind: 'ambiguous', first: index.first(differing[0]!), choices: differing };
    if (differing.length === 1) return matches[candidates.indexOf(differing[0]!)]!;
    return { kind: 'failed', v: candidates[0]! };
  }
}

function rank(log: SourceLog, v: number): number {
  const o = log.effectiveOutcome(log.vTxn.get(v));
  return o === 'ok' ? 0 : o === 'info' ? 1 : 2;
}

/** Compares the images an op defines: after for c/u/r, before for u/d (when the source names one). */
export function recordDiff(v: RowVersion, r: SinkRecord): ColumnDiff | null {
  const after = imageDiff(v.op === 'd' ? null : v.after, r.after);
  if (after) return { ...after, column: `after.${after.column}` };
  if (r.op === 'r' || (v.op !== 'c' && v.before === null)) return null;
  const before = imageDiff(v.before, r.before);
  return before ? { ...before, column: `before.${before.column}` } : null;
}

/**
 * What two records share exactly when they are copies of one version: the first source version
 * of the identity for stream records that match one, else the identity string. A snapshot read
 * of a version is a different delivery from the stream record of it.
 */
export function deliveryToken(m: RecordMatch, r: SinkRecord, index: VersionIndex): number | string | null {
  if (r.op !== 'r') {
    if (m.kind === 'written' || m.kind === 'failed') return index.first(m.v);
    if (m.kind === 'ambiguous') return m.first;
  }
  if (r.version === null) return null;
  return `${r.table}\u0001${r.key}\u0001${r.op}\u0001${r.version}`;
}
