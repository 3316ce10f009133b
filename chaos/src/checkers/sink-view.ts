import { OP_OF, type SinkRecord, type SourceLog, type Verdict } from '../history/index.js';
import type { SinkMeta, TableFilter } from './checker.js';
import type { Examples } from './examples.js';

/** `kafka` or `kafka (read_uncommitted)`: Kafka is read twice and judged per isolation. */
export function sinkLabel(h: SinkMeta): string {
  return h.isolation ? `${h.sink} (${h.isolation})` : h.sink;
}

/**
 * Whether this history must hold no duplicate. A read_uncommitted read of an exactly-once
 * Kafka sink also sees aborted transactions, so it is judged like an at-least-once sink.
 */
export function promisesExactlyOnce(h: SinkMeta): boolean {
  return h.exactlyOnce && h.isolation !== 'read_uncommitted';
}

/** The tables a sink is expected to receive, as log table ids; absent: every table. */
export function sinkTables(log: SourceLog, listed: readonly string[] | undefined): TableFilter {
  if (!listed) return { has: () => true };
  const names = new Set(listed);
  return { has: (t) => names.has(log.tableNames[t]!) };
}

/** A verdict for one sink history: invalid when `problems` found any case. */
export function sinkVerdict(checker: string, label: string, problems: Examples, okSummary: string, badSummary: string, counts: Record<string, number>): Verdict {
  const invalid = problems.total > 0;
  return { checker, sink: label, validity: invalid ? 'invalid' : 'valid', summary: invalid ? badSummary : okSummary, counts, examples: problems.items };
}

/** Example fields shared by every checker: where a version came from at the source. */
export function versionFacts(log: SourceLog, v: number): Record<string, unknown> {
  const t = log.vTxn.get(v);
  const slot = log.vSlot.get(v);
  const resolution = log.resolution(t);
  return { table: log.tableOfVersion(v), key: log.keyStrings[log.vKey.get(v)], op: OP_OF[slot & 3], version: slot >> 2, sourceTxn: log.tId.get(t), outcome: log.outcome(t), ...(resolution ? { resolution } : {}) };
}

/** Example fields naming where a record sits in the sink. */
export function recordFacts(r: SinkRecord): Record<string, unknown> {
  return { table: r.table, key: r.key, op: r.op, version: r.version, stream: r.stream, position: r.position, txId: r.txId };
}

/** Whether a version's table is one the sink receives. */
export function inTables(log: SourceLog, tables: TableFilter, v: number): boolean {
  return tables.has(log.keyTable.get(log.vKey.get(v)));
}
