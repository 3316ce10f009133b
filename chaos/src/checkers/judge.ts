import { SourceLog, type FaultEvent, type SinkHistory, type SinkRecord, type SourceHistory, type Verdict } from '../history/index.js';
import type { CheckerDef, CheckInput, Checker, SinkMeta } from './checker.js';
import type { RecordMatch } from './match.js';
import type { RunFacts } from './run-facts.js';
import type { FinalSource } from './state.js';
import { SinkPass } from './sink-pass.js';
import { VersionIndex } from './version-index.js';

/** What judging cost: the memory the checkers' own structures held, and how much they saw. */
export interface JudgeCost {
  readonly records: number;
  readonly versions: number;
  /** Bytes of the compact source log (columns, key dictionary, image offsets). */
  readonly sourceBytes: number;
  /** Bytes of the version index and of every sink pass's state. */
  readonly checkerBytes: number;
  /** Fingerprint mismatches the stored images showed equal (each cost a read of the images). */
  readonly slowPathEqual: number;
}

/**
 * Runs checkers over a source history and any number of sink histories whose records stream
 * through one at a time (`sink(meta).add(record)`), so a run never holds its sink histories in
 * memory. `verdicts()` settles every pass and asks each checker for its verdicts, in checker
 * order; a checker that throws gives one `unknown` verdict (Jepsen's check-safe).
 */
export class Judge {
  readonly log: SourceLog;
  private readonly passes: SinkPass[] = [];
  private pinned: VersionIndex | null = null;

  constructor(
    source: SourceHistory | SourceLog,
    private readonly defs: readonly CheckerDef[],
  ) {
    this.log = SourceLog.of(source);
  }

  /** The index at the log's current revision (a log still being written is re-indexed when it grew). */
  index(): VersionIndex {
    return this.pinned ?? VersionIndex.of(this.log);
  }

  /**
   * Judges against the log as it is now until `unpin()`, even while a workload keeps appending
   * (re-indexing on every append would cost O(versions) each time); records of versions
   * appended since stay unmatched, so a live reader holds them back (runner/live-judge.ts).
   */
  pin(): VersionIndex {
    this.pinned = VersionIndex.of(this.log);
    return this.pinned;
  }

  unpin(): void {
    this.pinned = null;
  }

  sink(meta: SinkMeta, observe?: (r: SinkRecord, m: RecordMatch) => void): SinkPass {
    const pass = new SinkPass(this.log, () => this.index(), meta, this.defs, observe);
    this.passes.push(pass);
    return pass;
  }

  /**
   * Every checker's verdicts. `settle: false` leaves ambiguous records undecided (an interim
   * look while records still arrive: a later record may change the decision).
   */
  verdicts(facts: RunFacts, faults: readonly FaultEvent[], options: { settle?: boolean; only?: readonly string[]; finalSource?: FinalSource } = {}): Verdict[] {
    if (options.settle !== false) for (const p of this.passes) p.settle();
    const index = this.index();
    const ctx = { log: this.log, index, facts, faults, sinks: this.passes.map((p) => p.summary()), ...(options.finalSource ? { finalSource: options.finalSource } : {}) };
    return this.defs.filter((d) => !options.only || options.only.includes(d.name)).flatMap((def) => {
      const results: { sink: ReturnType<SinkPass['summary']>; value: unknown }[] = [];
      for (const p of this.passes) {
        const r = p.resultOf(def);
        if (r.error) return [crashed(def.name, r.error)];
        if (r.applies) results.push({ sink: p.summary(), value: r.value });
      }
      try {
        return def.verdicts(ctx, results);
      } catch (e) {
        return [crashed(def.name, e instanceof Error ? e : new Error(String(e)))];
      }
    });
  }

  cost(): JudgeCost {
    const index = this.index();
    return {
      records: this.passes.reduce((n, p) => n + p.records, 0),
      versions: this.log.versionCount,
      sourceBytes: this.log.memoryBytes,
      checkerBytes: index.bytes + this.passes.reduce((n, p) => n + p.bytes, 0),
      slowPathEqual: this.passes.reduce((n, p) => n + p.slowPathEqual, 0),
    };
  }
}

/** A checker over in-memory histories (`check(input)`), running `defs` through a Judge. */
export function checkerOf(name: string, defs: readonly CheckerDef[]): Checker {
  return {
    name,
    check(input: CheckInput): Verdict[] {
      const judge = new Judge(input.source, defs);
      for (const h of input.sinks) {
        const tables = input.facts.sinks[h.sink]?.tables;
        const pass = judge.sink({ sink: h.sink, kind: h.kind, exactlyOnce: h.exactlyOnce, ...(h.isolation ? { isolation: h.isolation } : {}), ...(tables ? { tables } : {}) });
        for (const r of inStreamOrder(h)) pass.add(r);
        for (const u of h.undecodable ?? []) pass.undecodable(u.position, u.error);
      }
      return judge.verdicts(input.facts, input.faults, input.finalSource ? { finalSource: input.finalSource } : {});
    },
  };
}

function crashed(name: string, error: Error): Verdict {
  return { checker: name, validity: 'unknown', summary: `checker threw: ${error.message}`, counts: {}, examples: [{ error: error.message, stack: error.stack?.split('\n').slice(0, 4).join('\n') }] };
}

/** The records in arrival order per stream; readers deliver them so, hand-built histories may not. */
function inStreamOrder(h: SinkHistory): readonly SinkRecord[] {
  const last = new Map<string, number>();
  for (const r of h.records) {
    const prev = last.get(r.stream);
    if (prev !== undefined && r.seq < prev) return [...h.records].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq));
    last.set(r.stream, r.seq);
  }
  return h.records;
}
