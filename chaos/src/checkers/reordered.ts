import type { SinkHistory, SinkRecord, Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples } from './examples.js';
import { versionRank } from './identity.js';
import { deliveryToken, matchRecords, type RecordMatch } from './match.js';
import { sinkVerdict } from './sink-view.js';
import { indexSource } from './source-index.js';
import { TokenMap } from './tokens.js';

interface KeyState {
  newest: SinkRecord;
  newestRank: number;
}

/**
 * Per key within one stream, a version seen for the first time must be newer than every
 * version seen before for that key. A replayed suffix (after a crash or a retried batch)
 * repeats versions already seen and is allowed; a swap delivers an older, unseen version after
 * a newer one and is not. Within one version the write precedes the delete that removed it.
 */
export const reorderedChecker: Checker = {
  name: 'reordered',
  check(input: CheckInput): Verdict[] {
    const versions = indexSource(input.source).all.length;
    return input.sinks.map((h) => judge(h, matchRecords(input.source, h), versions));
  },
};

function judge(h: SinkHistory, matches: readonly RecordMatch[], versions: number): Verdict {
  // stream → table → key: nested maps look records up without building a string per record.
  const keys = new Map<string, Map<string, Map<string, KeyState>>>();
  let keyCount = 0;
  const problems = new Examples();
  let judged = 0;
  let replayed = 0;
  // Versions already seen, per stream: seeing one again is a replay.
  const seen = new Map<string, TokenMap<true>>();
  for (const i of inStreamOrder(h.records)) {
    const r = h.records[i]!;
    if (r.version === null || r.op === 't') continue;
    judged++;
    let seenInStream = seen.get(r.stream);
    if (!seenInStream) seen.set(r.stream, (seenInStream = new TokenMap(versions)));
    const token = deliveryToken(matches[i]!, r)!;
    if (seenInStream.get(token)) {
      replayed++;
      continue;
    }
    seenInStream.set(token, true);
    const rank = versionRank(r.version, r.op);
    const inTable = tableOf(keys, r.stream, r.table);
    const state = inTable.get(r.key);
    if (!state) {
      inTable.set(r.key, { newest: r, newestRank: rank });
      keyCount++;
      continue;
    }
    // Equal rank: the same version by another path (a snapshot read, then its stream record).
    if (rank >= state.newestRank) {
      if (rank > state.newestRank) {
        state.newest = r;
        state.newestRank = rank;
      }
      continue;
    }
    const newer = state.newest;
    problems.add(() => ({
      table: r.table,
      key: r.key,
      stream: r.stream,
      versions: [`${newer.version}${newer.op}`, `${r.version}${r.op}`],
      positions: [newer.position, r.position],
      txIds: [newer.txId, r.txId],
    }));
  }
  return sinkVerdict(
    'reordered',
    h,
    problems,
    `per-key order held for ${keyCount} keys`,
    `${problems.total} versions arrived after a newer version of the same key`,
    { records: judged, keys: keyCount, replayed, reordered: problems.total },
  );
}

function tableOf(keys: Map<string, Map<string, Map<string, KeyState>>>, stream: string, table: string): Map<string, KeyState> {
  let tables = keys.get(stream);
  if (!tables) keys.set(stream, (tables = new Map()));
  let inTable = tables.get(table);
  if (!inTable) tables.set(table, (inTable = new Map()));
  return inTable;
}

/** Record indexes grouped by stream, each stream in `seq` order (readers usually deliver them so). */
function inStreamOrder(records: readonly SinkRecord[]): readonly number[] {
  const order = records.map((_, i) => i);
  const last = new Map<string, number>();
  for (const r of records) {
    const prev = last.get(r.stream);
    if (prev !== undefined && r.seq < prev) {
      const stream = (i: number) => records[i]!.stream;
      return order.sort((a, b) => (stream(a) < stream(b) ? -1 : stream(a) > stream(b) ? 1 : records[a]!.seq - records[b]!.seq));
    }
    last.set(r.stream, r.seq);
  }
  return order;
}
