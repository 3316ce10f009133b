import type { Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples } from './examples.js';
import { deliveredVersions, sinkTables, sinkVerdict, versionFacts } from './sink-view.js';
import { indexSource } from './source-index.js';

/**
 * Every version of an acknowledged (ok) transaction, for the tables a sink receives, is held
 * by that sink. Indeterminate (info) versions may or may not arrive; a failed version that
 * arrives is phantom's business, not this one's.
 */
export const lostChecker: Checker = {
  name: 'lost',
  check(input: CheckInput): Verdict[] {
    const index = indexSource(input.source);
    return input.sinks.map((h) => {
      const tables = sinkTables(input, h, index.tables);
      const delivered = deliveredVersions(input.source, h);
      const missing = new Examples();
      let expected = 0;
      let infoDelivered = 0;
      for (const e of index.all) {
        if (!tables.has(e.version.table)) continue;
        if (e.outcome === 'info' && delivered.has(e)) infoDelivered++;
        if (e.outcome !== 'ok') continue;
        expected++;
        if (!delivered.has(e)) missing.add(() => ({ ...versionFacts(e), writer: e.version.writer, committedAt: e.txn.completedAt }));
      }
      return sinkVerdict(
        'lost',
        h,
        missing,
        `all ${expected} acknowledged versions arrived`,
        `${missing.total} of ${expected} acknowledged versions never arrived`,
        { expected, delivered: expected - missing.total, missing: missing.total, infoDelivered },
      );
    });
  },
};
