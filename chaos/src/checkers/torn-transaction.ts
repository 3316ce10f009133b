import type { SinkHistory, Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples } from './examples.js';
import { matchRecords } from './match.js';
import { sinkLabel, sinkTables, sinkVerdict } from './sink-view.js';
import { indexSource, type IndexedVersion, type SourceIndex } from './source-index.js';

/**
 * For exactly-once Kafka read with read_committed: every Kafka transaction that holds any
 * record of a source transaction holds all of that transaction's versions (for the sink's
 * tables). This catches a source transaction split across Kafka transactions and one only
 * partly visible. A whole second copy in another Kafka transaction is not torn (that is a
 * duplicate, which `duplicated` judges).
 */
export const tornTransactionChecker: Checker = {
  name: 'torn-transaction',
  check(input: CheckInput): Verdict[] {
    const applicable = input.sinks.filter((h) => h.kind === 'kafka' && h.exactlyOnce && h.isolation !== 'read_uncommitted');
    if (applicable.length === 0) {
      return [{ checker: 'torn-transaction', validity: 'valid', summary: 'not applicable: no exactly-once Kafka sink read with read_committed', counts: { applicable: 0 }, examples: [] }];
    }
    const index = indexSource(input.source);
    return applicable.map((h) => judge(input, index, h));
  },
};

function judge(input: CheckInput, index: SourceIndex, h: SinkHistory): Verdict {
  const matches = matchRecords(input.source, h);
  // source txn id → sink txn → the versions of that source txn it holds, with one position.
  const seen = new Map<number, Map<number, { versions: Set<IndexedVersion>; position: string }>>();
  let withoutSinkTxn = 0;
  h.records.forEach((r, i) => {
    const m = matches[i]!;
    if (m.kind !== 'written') return;
    if (r.sinkTxn === null) {
      withoutSinkTxn++;
      return;
    }
    let bySinkTxn = seen.get(m.entry.txn.id);
    if (!bySinkTxn) seen.set(m.entry.txn.id, (bySinkTxn = new Map()));
    let group = bySinkTxn.get(r.sinkTxn);
    if (!group) bySinkTxn.set(r.sinkTxn, (group = { versions: new Set(), position: r.position }));
    group.versions.add(m.entry);
  });
  if (withoutSinkTxn > 0) {
    return { checker: 'torn-transaction', sink: sinkLabel(h), validity: 'unknown', summary: `${withoutSinkTxn} records carry no Kafka transaction index, so transaction boundaries cannot be judged`, counts: { withoutSinkTxn }, examples: [] };
  }
  const tables = sinkTables(input, h, index.tables);
  const problems = new Examples();
  for (const [txnId, bySinkTxn] of seen) {
    const expected = index.byTxn.get(txnId)!.filter((e) => tables.has(e.version.table));
    const partial = [...bySinkTxn].filter(([, g]) => g.versions.size < expected.length);
    if (partial.length === 0) continue;
    problems.add(() => ({
      sourceTxn: txnId,
      outcome: expected[0]?.outcome,
      versions: expected.length,
      sinkTxns: [...bySinkTxn].map(([sinkTxn, g]) => ({ sinkTxn, versions: g.versions.size, position: g.position })),
      missingFromSome: expected.filter((e) => partial.some(([, g]) => !g.versions.has(e))).slice(0, 5).map((e) => `${e.version.table} ${e.version.key} v${e.version.version}${e.version.op}`),
    }));
  }
  return sinkVerdict(
    'torn-transaction',
    h,
    problems,
    `all ${seen.size} source transactions seen arrived whole, each within one Kafka transaction`,
    `${problems.total} source transactions are split across Kafka transactions or partly visible`,
    { sourceTxns: seen.size, torn: problems.total },
  );
}
