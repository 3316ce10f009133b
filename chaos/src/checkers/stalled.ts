import type { SinkHistory, Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples, MAX_EXAMPLES } from './examples.js';
import { rowKey, versionRank } from './identity.js';
import { deliveredVersions, sinkTables, versionFacts } from './sink-view.js';
import { indexSource, type IndexedVersion } from './source-index.js';

/**
 * Every sink caught up with the source's final acknowledged state within the deadline, as the
 * run facts observed it. When it did not, the verdict names the final versions (the newest ok
 * version of each key) the sink still lacks, and the lag.
 */
export const stalledChecker: Checker = {
  name: 'stalled',
  check(input: CheckInput): Verdict[] {
    const bySink = new Map<string, SinkHistory>();
    // Kafka is read twice; the read_committed read is what a consumer sees.
    for (const h of input.sinks) if (!bySink.has(h.sink) || h.isolation === 'read_committed') bySink.set(h.sink, h);
    return [...bySink.values()].map((h) => judge(input, h));
  },
};

function judge(input: CheckInput, h: SinkHistory): Verdict {
  const facts = input.facts.sinks[h.sink];
  const { deadlineMs, catchUpFrom, checkedAt } = input.facts;
  if (!facts) {
    return { checker: 'stalled', sink: h.sink, validity: 'unknown', summary: `the run recorded no catch-up facts for sink "${h.sink}"`, counts: {}, examples: [] };
  }
  const deadlineAt = catchUpFrom + deadlineMs;
  const caughtUp = facts.caughtUpAt !== null && facts.caughtUpAt <= deadlineAt;
  const catchUpMs = facts.caughtUpAt === null ? null : Math.max(0, facts.caughtUpAt - catchUpFrom);
  const counts: Record<string, number> = { deadlineMs };
  if (catchUpMs !== null) counts.catchUpMs = catchUpMs;
  if (facts.lagMs !== undefined && facts.lagMs !== null) counts.lagMs = facts.lagMs;
  if (caughtUp) {
    return { checker: 'stalled', sink: h.sink, validity: 'valid', summary: `caught up ${seconds(catchUpMs!)} after the last write or heal (deadline ${seconds(deadlineMs)})`, counts, examples: [] };
  }
  const missing = new Examples();
  const finals = finalVersions(input, h);
  const delivered = deliveredVersions(input.source, h);
  for (const e of finals) if (!delivered.has(e)) missing.add(() => ({ ...versionFacts(e), committedAt: e.txn.completedAt }));
  counts.finalVersions = finals.length;
  counts.missingFinal = missing.total;
  const behind = facts.caughtUpAt === null ? `still behind ${seconds(checkedAt - catchUpFrom)} after the last write or heal` : `caught up only after ${seconds(catchUpMs!)}`;
  const lag = counts.lagMs !== undefined ? `, last lag ${seconds(counts.lagMs)}` : '';
  return {
    checker: 'stalled',
    sink: h.sink,
    validity: 'invalid',
    summary: `did not catch up within the ${seconds(deadlineMs)} deadline: ${behind}${lag}; ${missing.total} of ${finals.length} final versions missing`,
    counts,
    // The timing itself is the first example: a sink can be complete yet late.
    examples: [{ problem: 'deadline missed', caughtUpAt: facts.caughtUpAt, deadlineAt, lastLagMs: facts.lagMs ?? null }, ...missing.items].slice(0, MAX_EXAMPLES),
  };
}

/** The newest acknowledged version of every key the sink receives. */
function finalVersions(input: CheckInput, h: SinkHistory): IndexedVersion[] {
  const index = indexSource(input.source);
  const tables = sinkTables(input, h, index.tables);
  const newest = new Map<string, IndexedVersion>();
  for (const e of index.all) {
    if (e.outcome !== 'ok' || !tables.has(e.version.table)) continue;
    const k = rowKey(e.version.table, e.version.key);
    const prior = newest.get(k);
    if (!prior || versionRank(e.version.version, e.version.op) > versionRank(prior.version.version, prior.version.op)) newest.set(k, e);
  }
  return [...newest.values()];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
