import type { SinkHistory, SinkRecord, SourceHistory, Verdict } from '../history/index.js';
import type { CheckInput } from './checker.js';
import type { Examples } from './examples.js';
import { matchRecords } from './match.js';
import { indexSource, VersionSet, type IndexedVersion } from './source-index.js';

/** `kafka` or `kafka (read_uncommitted)`: Kafka is read twice and judged per isolation. */
export function sinkLabel(h: SinkHistory): string {
  return h.isolation ? `${h.sink} (${h.isolation})` : h.sink;
}

/**
 * Whether this history must hold no duplicate. A read_uncommitted read of an exactly-once
 * Kafka sink also sees aborted transactions, so it is judged like an at-least-once sink.
 */
export function promisesExactlyOnce(h: SinkHistory): boolean {
  return h.exactlyOnce && h.isolation !== 'read_uncommitted';
}

/** The tables a sink is expected to receive: from the run facts, else every source table. */
export function sinkTables(input: CheckInput, h: SinkHistory, all: ReadonlySet<string>): ReadonlySet<string> {
  const listed = input.facts.sinks[h.sink]?.tables;
  return listed ? new Set(listed) : all;
}

/** The source versions some record of this sink names (whatever its images say). */
export function deliveredVersions(source: SourceHistory, h: SinkHistory): VersionSet {
  const delivered = new VersionSet(indexSource(source));
  for (const m of matchRecords(source, h)) if (m.kind === 'written') delivered.add(m.entry);
  return delivered;
}

/** A verdict for one sink history: invalid when `problems` found any case. */
export function sinkVerdict(checker: string, h: SinkHistory, problems: Examples, okSummary: string, badSummary: string, counts: Record<string, number>): Verdict {
  const invalid = problems.total > 0;
  return {
    checker,
    sink: sinkLabel(h),
    validity: invalid ? 'invalid' : 'valid',
    summary: invalid ? badSummary : okSummary,
    counts,
    examples: problems.items,
  };
}

/** Example fields shared by every checker: where a version came from at the source. */
export function versionFacts(e: IndexedVersion): Record<string, unknown> {
  return { table: e.version.table, key: e.version.key, op: e.version.op, version: e.version.version, sourceTxn: e.txn.id, outcome: e.txn.outcome, ...(e.txn.resolution ? { resolution: e.txn.resolution } : {}) };
}

/** Example fields naming where a record sits in the sink. */
export function recordFacts(r: SinkRecord): Record<string, unknown> {
  return { table: r.table, key: r.key, op: r.op, version: r.version, stream: r.stream, position: r.position, txId: r.txId };
}
