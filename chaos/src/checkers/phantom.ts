import type { SinkHistory, SourceHistory, Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples } from './examples.js';
import { matchRecords } from './match.js';
import { recordFacts, sinkVerdict } from './sink-view.js';

/**
 * A record the source never wrote: no ok/info version has its identity, it carries no version,
 * it is the version of a failed transaction, or its before/after image differs (after
 * normalisation) from what the source wrote.
 */
export const phantomChecker: Checker = {
  name: 'phantom',
  check(input: CheckInput): Verdict[] {
    return input.sinks.map((h) => judge(input.source, h));
  },
};

function judge(source: SourceHistory, h: SinkHistory): Verdict {
  const matches = matchRecords(source, h);
  const problems = new Examples();
  const counts = { records: h.records.length, notWritten: 0, unversioned: 0, failedVersion: 0, wrongImage: 0, ignored: 0 };
  h.records.forEach((r, i) => {
    const m = matches[i]!;
    switch (m.kind) {
      case 'ignored':
        counts.ignored++;
        return;
      case 'not-written':
        counts.notWritten++;
        problems.add(() => ({ problem: 'no source version has this identity', ...recordFacts(r) }));
        return;
      case 'unversioned':
        counts.unversioned++;
        problems.add(() => ({ problem: 'record carries no version column', ...recordFacts(r) }));
        return;
      case 'failed':
        counts.failedVersion++;
        problems.add(() => ({
          problem: m.entry.txn.outcome === 'fail' ? 'version of a failed transaction' : 'version of an indeterminate transaction a later read showed rolled back',
          ...recordFacts(r),
          sourceTxn: m.entry.txn.id,
          error: m.entry.txn.error,
        }));
        return;
      case 'written':
        if (m.diff === null) return;
        counts.wrongImage++;
        problems.add(() => ({ problem: 'image differs from what the source wrote', ...recordFacts(r), sourceTxn: m.entry.txn.id, column: m.diff!.column, expected: m.diff!.expected, actual: m.diff!.actual }));
    }
  });
  return sinkVerdict('phantom', h, problems, 'every record matches a version the source wrote', `${problems.total} records do not match what the source wrote`, counts);
}
