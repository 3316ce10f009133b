import { actualFingerprint, BitSet, hashPair, uint32, type RowImage, type SinkRecord, type SourceLog, type Verdict } from '../history/index.js';
import type { CheckerDef, SinkAccumulator, SinkContext } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import { deliveryToken, type RecordMatch } from './match.js';
import { imageDiff } from './normalize.js';
import { promisesExactlyOnce, recordFacts, sinkVerdict } from './sink-view.js';
import { RecentFirsts } from './recent.js';

/**
 * A version (identity) seen more than once. Fatal for exactly-once sinks. For the others a
 * duplicate is tolerated only as an exact replay, i.e. one that deduplication by idempotency
 * key removes without losing anything: the same key and the same images as the first copy,
 * and no key shared by two different versions.
 */
export const duplicatedDef: CheckerDef<Verdict> = {
  name: 'duplicated',
  forSink: (ctx) => new Duplicates(ctx),
  verdicts: (_ctx, results) => results.map((r) => r.value),
};

export const duplicatedChecker = checkerOf('duplicated', [duplicatedDef]);

/** A copy whose identity matches no source version: rare, kept whole. */
interface LooseFirst {
  readonly key: string | null;
  readonly before: RowImage | null;
  readonly after: RowImage | null;
  readonly position: string;
}

class Duplicates implements SinkAccumulator<Verdict> {
  private readonly exactlyOnce: boolean;
  private readonly log: SourceLog;
  // Per version (by its identity's first ordinal): the first copy's idempotency key hash and flags.
  private readonly seen = new BitSet();
  private readonly keyless = new BitSet();
  private readonly keyA = uint32();
  private readonly keyB = uint32();
  /** The first copy's image fingerprints, over the version's shapes. */
  private readonly firstAfter = uint32();
  private readonly firstBefore = uint32();
  private readonly loose = new Map<string, LooseFirst>();
  /** Copies whose key is not their version's first key: each may collide with another version. */
  private readonly extraKeys: { a: number; b: number; token: number | string; r: SinkRecord }[] = [];
  /** Keys and positions of recent first copies, for examples. */
  private readonly recent = new RecentFirsts();
  private readonly problems = new Examples();
  private records = 0;
  private distinct = 0;
  private duplicates = 0;
  private exactReplays = 0;
  private divergent = 0;

  constructor(private readonly ctx: SinkContext) {
    this.exactlyOnce = promisesExactlyOnce(ctx.meta);
    this.log = ctx.log;
    // Sized once for the whole history: growing by half each time would leave up to a third unused.
    for (const c of [this.keyA, this.keyB, this.firstAfter, this.firstBefore]) c.reserve(ctx.log.versionCount);
  }

  add(r: SinkRecord, m: RecordMatch): void {
    this.records++;
    const token = deliveryToken(m, r, this.ctx.index());
    if (token === null || r.op === 't') return;
    if (typeof token === 'string') return this.addLoose(r, token);
    if (!this.seen.has(token)) return this.first(r, m, token);
    this.duplicates++;
    const [a, b] = r.idempotencyKey === null ? [0, 0] : hashPair(r.idempotencyKey);
    const sameKey = !this.keyless.has(token) && r.idempotencyKey !== null && this.keyA.get(token) === a && this.keyB.get(token) === b;
    if (!sameKey && r.idempotencyKey !== null) this.extraKeys.push({ a, b, token, r });
    const [after, before] = m.kind === 'written' && m.v === token ? m.fps : this.fingerprints(token, r);
    const exact = sameKey && this.firstAfter.get(token) === after && this.firstBefore.get(token) === before;
    const original = this.recent.get(token);
    this.judgeCopy(r, exact, sameKey, original?.key ?? null, original?.position ?? null);
  }

  private first(r: SinkRecord, m: RecordMatch, token: number): void {
    this.distinct++;
    this.seen.add(token);
    for (const c of [this.keyA, this.keyB, this.firstAfter, this.firstBefore]) c.ensure(token + 1);
    if (r.idempotencyKey === null) this.keyless.add(token);
    else {
      const [a, b] = hashPair(r.idempotencyKey);
      this.keyA.set(token, a);
      this.keyB.set(token, b);
    }
    const [after, before] = m.kind === 'written' && m.v === token ? m.fps : this.fingerprints(token, r);
    this.firstAfter.set(token, after);
    this.firstBefore.set(token, before);
    this.recent.remember(token, r.idempotencyKey, r.position);
  }

  private fingerprints(token: number, r: SinkRecord): readonly [number, number] {
    const log = this.log;
    return [actualFingerprint(r.after, log.shape(log.vAfterShape.get(token))), actualFingerprint(r.before, log.shape(log.vBeforeShape.get(token)))];
  }

  private addLoose(r: SinkRecord, token: string): void {
    const original = this.loose.get(token);
    if (!original) {
      this.distinct++;
      this.loose.set(token, { key: r.idempotencyKey, before: r.before, after: r.after, position: r.position });
      if (r.idempotencyKey !== null) this.extraKeys.push({ ...pair(r.idempotencyKey), token, r });
      return;
    }
    this.duplicates++;
    const sameKey = original.key !== null && original.key === r.idempotencyKey;
    if (!sameKey && r.idempotencyKey !== null) this.extraKeys.push({ ...pair(r.idempotencyKey), token, r });
    const exact = sameKey && imageDiff(original.before, r.before) === null && imageDiff(original.after, r.after) === null;
    this.judgeCopy(r, exact, sameKey, original.key, original.position);
  }

  private judgeCopy(r: SinkRecord, exact: boolean, sameKey: boolean, originalKey: string | null, originalPosition: string | null): void {
    if (exact) this.exactReplays++;
    else this.divergent++;
    if (!this.exactlyOnce && exact) return;
    const problem = exact ? 'duplicate on an exactly-once sink' : !sameKey ? 'duplicate with another idempotency key' : 'duplicate with other content';
    this.problems.add(() => ({ problem, ...recordFacts(r), positions: [originalPosition, r.position], idempotencyKeys: [originalKey, r.idempotencyKey] }));
  }

  result(): Verdict {
    const collisions = this.keyCollisions();
    const problems = new Examples();
    for (const e of this.problems.items) problems.add(() => e);
    for (const c of collisions) problems.add(() => c);
    problems.total = this.problems.total + collisions.length;
    const keyCollisions = collisions.length;
    const { duplicates, divergent } = this;
    const counts = { records: this.records, distinct: this.distinct, duplicates, exactReplays: this.exactReplays, divergent, keyCollisions };
    const bad = [
      this.exactlyOnce && duplicates > 0 ? `${duplicates} duplicates on an exactly-once sink` : '',
      !this.exactlyOnce && divergent > 0 ? `${divergent} duplicates that are not exact replays (another idempotency key or other content)` : '',
      keyCollisions > 0 ? `${keyCollisions} idempotency keys shared by different versions (dedup would drop real changes)` : '',
    ].filter(Boolean);
    return sinkVerdict('duplicated', this.ctx.label, problems, duplicates === 0 ? 'no duplicates' : `${duplicates} duplicates, all exact replays that dedup by idempotency key removes`, bad.join('; '), counts);
  }

  /**
   * Idempotency keys carried by two different versions: the versions' first keys as 52 bits of
   * their 64-bit hash in a Float64Array sorted natively (no key strings kept), plus the keys of
   * copies that differ from their first; equal neighbours are then compared on all 64 bits.
   */
  private keyCollisions(): Record<string, unknown>[] {
    const entries: { a: number; b: number; token: number | string; r?: SinkRecord }[] = [];
    const short = new Float64Array(this.keyA.length + this.extraKeys.length);
    let n = 0;
    for (let t = 0; t < this.keyA.length; t++) if (this.seen.has(t) && !this.keyless.has(t)) short[n++] = fold(this.keyA.get(t), this.keyB.get(t));
    for (const e of this.extraKeys) short[n++] = fold(e.a, e.b);
    const sorted = short.subarray(0, n).sort();
    const repeated = new Set<number>();
    for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i]!);
    if (repeated.size === 0) return [];
    for (let t = 0; t < this.keyA.length; t++) if (this.seen.has(t) && !this.keyless.has(t) && repeated.has(fold(this.keyA.get(t), this.keyB.get(t)))) entries.push({ a: this.keyA.get(t), b: this.keyB.get(t), token: t });
    for (const e of this.extraKeys) if (repeated.has(fold(e.a, e.b))) entries.push(e);
    const owners = new Map<string, { tokens: Set<number | string>; r?: SinkRecord }>();
    for (const e of entries) {
      const full = `${e.a}:${e.b}`;
      const o = owners.get(full) ?? { tokens: new Set() };
      o.tokens.add(e.token);
      if (e.r) o.r = e.r;
      owners.set(full, o);
    }
    const out: Record<string, unknown>[] = [];
    for (const { tokens, r } of owners.values()) {
      for (let i = 1; i < tokens.size; i++) out.push({ problem: 'idempotency key shared by two versions', ...(r ? recordFacts(r) : {}), idempotencyKey: r?.idempotencyKey ?? this.recent.keyOf([...tokens]) });
    }
    return out;
  }

  bytes(): number {
    return this.seen.bytes * 2 + this.keyA.bytes * 4 + this.recent.bytes;
  }
}

function pair(key: string): { a: number; b: number } {
  const [a, b] = hashPair(key);
  return { a, b };
}

/** 52 of the 64 bits: exact in a double, so a Float64Array sorts them natively. */
function fold(a: number, b: number): number {
  return a * 2 ** 20 + (b >>> 12);
}
