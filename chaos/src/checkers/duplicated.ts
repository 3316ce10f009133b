import type { SinkHistory, SinkRecord, Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples } from './examples.js';
import { deliveryToken, matchRecords, type RecordMatch } from './match.js';
import { imageDiff } from './normalize.js';
import { promisesExactlyOnce, recordFacts, sinkVerdict } from './sink-view.js';
import { indexSource } from './source-index.js';
import { TokenMap, type Token } from './tokens.js';

/**
 * A version (identity) seen more than once. Fatal for exactly-once sinks. For the others a
 * duplicate is tolerated only as an exact replay, i.e. one that deduplication by idempotency
 * key removes without losing anything: the same key and the same images as the first copy,
 * and no key shared by two different versions.
 */
export const duplicatedChecker: Checker = {
  name: 'duplicated',
  check(input: CheckInput): Verdict[] {
    const versions = indexSource(input.source).all.length;
    return input.sinks.map((h) => judge(h, matchRecords(input.source, h), versions));
  },
};

function judge(h: SinkHistory, matches: readonly RecordMatch[], versions: number): Verdict {
  const exactlyOnce = promisesExactlyOnce(h);
  const first = new TokenMap<SinkRecord>(versions);
  const identityOfKey = new Map<string, Token>();
  let distinct = 0;
  const problems = new Examples();
  let duplicates = 0;
  let exactReplays = 0;
  let divergent = 0;
  let keyCollisions = 0;
  h.records.forEach((r, i) => {
    const m = matches[i]!;
    const id = deliveryToken(m, r);
    if (id === null || r.op === 't') return;
    if (r.idempotencyKey !== null) {
      const other = identityOfKey.get(r.idempotencyKey);
      if (other === undefined) identityOfKey.set(r.idempotencyKey, id);
      else if (other !== id) {
        keyCollisions++;
        problems.add(() => ({ problem: 'idempotency key shared by two versions', ...recordFacts(r), idempotencyKey: r.idempotencyKey }));
      }
    }
    const original = first.get(id);
    if (!original) {
      first.set(id, r);
      distinct++;
      return;
    }
    duplicates++;
    const exact = original.idempotencyKey !== null && original.idempotencyKey === r.idempotencyKey && imageDiff(original.before, r.before) === null && imageDiff(original.after, r.after) === null;
    if (exact) exactReplays++;
    else divergent++;
    if (exactlyOnce || !exact) {
      const problem = exact ? 'duplicate on an exactly-once sink' : original.idempotencyKey !== r.idempotencyKey ? 'duplicate with another idempotency key' : 'duplicate with other content';
      problems.add(() => ({ problem, ...recordFacts(r), positions: [original.position, r.position], idempotencyKeys: [original.idempotencyKey, r.idempotencyKey] }));
    }
  });
  const counts = { records: h.records.length, distinct, duplicates, exactReplays, divergent, keyCollisions };
  const bad = [
    exactlyOnce && duplicates > 0 ? `${duplicates} duplicates on an exactly-once sink` : '',
    !exactlyOnce && divergent > 0 ? `${divergent} duplicates that are not exact replays (another idempotency key or other content)` : '',
    keyCollisions > 0 ? `${keyCollisions} idempotency keys shared by different versions (dedup would drop real changes)` : '',
  ].filter(Boolean);
  return sinkVerdict(
    'duplicated',
    h,
    problems,
    duplicates === 0 ? 'no duplicates' : `${duplicates} duplicates, all exact replays that dedup by idempotency key removes`,
    bad.join('; '),
    counts,
  );
}
