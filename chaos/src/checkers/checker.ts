import type { FaultEvent, SinkHistory, SinkRecord, SourceHistory, SourceLog, Validity, Verdict } from '../history/index.js';
import type { BitSet } from '../history/index.js';
import type { RecordMatch, WrittenMatch } from './match.js';
import type { RunFacts } from './run-facts.js';
import type { FinalSource } from './state.js';
import type { VersionIndex } from './version-index.js';

/** Everything a checker may look at. Checkers are pure: no I/O, no clock, no randomness. */
export interface CheckInput {
  /** The plain history, or its compact form (runs at scale record straight into a SourceLog). */
  readonly source: SourceHistory | SourceLog;
  /** One history per sink, and for Kafka one per isolation level read. */
  readonly sinks: readonly SinkHistory[];
  readonly faults: readonly FaultEvent[];
  readonly facts: RunFacts;
  /** The source tables as the run ended, for the `state` checker (absent: not read). */
  readonly finalSource?: FinalSource;
}

/**
 * Judges one aspect of a run. Returns one verdict per sink history it applies to (or one for
 * the whole run). It may throw; `checkSafe` turns that into an `unknown` verdict.
 */
export interface Checker {
  readonly name: string;
  check(input: CheckInput): Verdict[];
}

/** A sink history's identity, without its records (those stream through a SinkPass). */
export interface SinkMeta {
  readonly sink: string;
  readonly kind: SinkHistory['kind'];
  readonly exactlyOnce: boolean;
  readonly isolation?: 'read_committed' | 'read_uncommitted';
  /** The tables the pipeline routes to this sink; absent: every table of the source history. */
  readonly tables?: readonly string[];
}

/** What a checker knows while records of one sink stream past. */
export interface SinkContext {
  readonly log: SourceLog;
  readonly index: () => VersionIndex;
  readonly meta: SinkMeta;
  /** `kafka (read_committed)`: how verdicts name the history. */
  readonly label: string;
  /** Table ids of the log this sink is expected to receive. */
  readonly tables: TableFilter;
}

export interface TableFilter {
  has(tableId: number): boolean;
}

/**
 * The streaming half of a checker: sees each record of one sink once, in arrival order, and
 * keeps only compact per-version or per-key state. `result` must not change that state, so it
 * can be asked for while records still arrive (periodic checks of a soak).
 */
export interface SinkAccumulator<P> {
  add(r: SinkRecord, m: RecordMatch): void;
  /** A record whose match was ambiguous (`m.kind === 'ambiguous'` in add), now decided. */
  resolved?(r: SinkRecord, m: WrittenMatch): void;
  undecodable?(position: string, error: string): void;
  result(): P;
  /** Bytes of state held, for the memory the checkers report. */
  bytes?(): number;
}

/** One sink history once every record went past. */
export interface SinkSummary {
  readonly meta: SinkMeta;
  readonly label: string;
  readonly tables: TableFilter;
  /** Versions some record names (whatever its images say). */
  readonly delivered: BitSet;
  readonly records: number;
  /** The DLQ history only: per sink id, the versions its entries name (the sink refused them). */
  readonly dlqBySink?: ReadonlyMap<string, BitSet>;
}

export interface RunContext {
  readonly log: SourceLog;
  readonly index: VersionIndex;
  readonly facts: RunFacts;
  readonly faults: readonly FaultEvent[];
  readonly sinks: readonly SinkSummary[];
  readonly finalSource?: FinalSource;
}

/**
 * A checker as the judge runs it: an optional accumulator per sink history, then the verdicts
 * from their results (and from the run as a whole: facts, faults, what each sink received).
 */
export interface CheckerDef<P = unknown> {
  readonly name: string;
  /** Null when the checker does not apply to this sink history. */
  forSink?(ctx: SinkContext): SinkAccumulator<P> | null;
  verdicts(ctx: RunContext, results: readonly { readonly sink: SinkSummary; readonly value: P }[]): Verdict[];
}

/** Jepsen's merge order: one invalid verdict makes the whole invalid; else one unknown does. */
export function mergeValidity(validities: Iterable<Validity>): Validity {
  let merged: Validity = 'valid';
  for (const v of validities) {
    if (v === 'invalid') return 'invalid';
    if (v === 'unknown') merged = 'unknown';
  }
  return merged;
}

/** The overall validity of a list of verdicts (valid when empty). */
export function overallValidity(verdicts: readonly Verdict[]): Validity {
  return mergeValidity(verdicts.map((v) => v.validity));
}
