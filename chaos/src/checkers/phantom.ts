import type { SinkRecord, Verdict } from '../history/index.js';
import type { CheckerDef, SinkAccumulator, SinkContext } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import type { RecordMatch, WrittenMatch } from './match.js';
import { recordFacts, sinkVerdict } from './sink-view.js';

/**
 * A record the source never wrote: no ok/info version has its identity, it carries no version,
 * it is the version of a failed transaction, or its before/after image differs (after
 * normalisation) from what the source wrote. A payload the reader could not decode counts too:
 * nothing the sink holds may go unjudged.
 */
export const phantomDef: CheckerDef<Verdict> = {
  name: 'phantom',
  forSink: (ctx) => new Phantoms(ctx),
  verdicts: (_ctx, results) => results.map((r) => r.value),
};

export const phantomChecker = checkerOf('phantom', [phantomDef]);

class Phantoms implements SinkAccumulator<Verdict> {
  private readonly problems = new Examples();
  private readonly counts = { records: 0, notWritten: 0, unversioned: 0, failedVersion: 0, wrongImage: 0, ignored: 0, undecodable: 0 };

  constructor(private readonly ctx: SinkContext) {}

  add(r: SinkRecord, m: RecordMatch): void {
    this.counts.records++;
    switch (m.kind) {
      case 'ignored':
        this.counts.ignored++;
        return;
      case 'not-written':
        this.counts.notWritten++;
        this.problems.add(() => ({ problem: 'no source version has this identity', ...recordFacts(r) }));
        return;
      case 'unversioned':
        this.counts.unversioned++;
        this.problems.add(() => ({ problem: 'record carries no version column', ...recordFacts(r) }));
        return;
      case 'failed': {
        const log = this.ctx.log;
        const t = log.vTxn.get(m.v);
        this.counts.failedVersion++;
        this.problems.add(() => ({
          problem: log.outcome(t) === 'fail' ? 'version of a failed transaction' : 'version of an indeterminate transaction a later read showed rolled back',
          ...recordFacts(r),
          sourceTxn: log.tId.get(t),
          error: log.error(t),
        }));
        return;
      }
      case 'written':
        return this.resolved(r, m);
      case 'ambiguous':
        return; // judged once the pass decides which version it is
    }
  }

  resolved(r: SinkRecord, m: WrittenMatch): void {
    if (m.diff === null) return;
    const diff = m.diff;
    this.counts.wrongImage++;
    this.problems.add(() => ({ problem: 'image differs from what the source wrote', ...recordFacts(r), sourceTxn: this.ctx.log.tId.get(this.ctx.log.vTxn.get(m.v)), column: diff.column, expected: diff.expected, actual: diff.actual }));
  }

  undecodable(position: string, error: string): void {
    this.counts.undecodable++;
    this.problems.add(() => ({ problem: 'payload the reader could not decode', position, error }));
  }

  result(): Verdict {
    return sinkVerdict('phantom', this.ctx.label, this.problems, 'every record matches a version the source wrote', `${this.problems.total} records do not match what the source wrote`, { ...this.counts });
  }
}
