import { describe, expect, it } from 'vitest';
import { reorderedChecker } from '../../../chaos/src/checkers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordsOf, resequence, sinkHistory, World } from './world.js';

/** accounts/1: v1 c, v2 u, v3 u, v3 d; accounts/2: v1 c. */
function delivered(): { w: World; records: SinkRecord[] } {
  const w = new World();
  w.txn('ok', (t) => t.insert('accounts', 1));
  w.txn('ok', (t) => { t.update('accounts', 1); t.insert('accounts', 2); });
  w.txn('ok', (t) => t.update('accounts', 1));
  w.txn('ok', (t) => t.delete('accounts', 1));
  return { w, records: recordsOf(w.happened) };
}

function check(w: World, records: readonly SinkRecord[]) {
  return reorderedChecker.check({ source: w.history(), sinks: [sinkHistory(resequence(records))], faults: [], facts: healthyFacts(['redis']) })[0]!;
}

const label = (r: SinkRecord) => `${r.key}:${r.version}${r.op}`;

describe('reordered', () => {
  it('is valid in source order', () => {
    const { w, records } = delivered();
    expect(records.map(label)).toEqual(['{"id":1}:1c', '{"id":1}:2u', '{"id":2}:1c', '{"id":1}:3u', '{"id":1}:3d']);
    expect(check(w, records)).toMatchObject({ validity: 'valid', counts: { keys: 2, reordered: 0 } });
  });

  it('allows a replayed suffix after a crash, and new versions after it', () => {
    const { w, records } = delivered();
    const replay = [records[0]!, records[1]!, records[2]!, records[3]!, records[1]!, records[2]!, records[3]!, records[4]!];
    expect(check(w, replay)).toMatchObject({ validity: 'valid', counts: { replayed: 3 } });
  });

  it('rejects a swap of two versions of one key', () => {
    const { w, records } = delivered();
    const swapped = [records[0]!, records[3]!, records[2]!, records[1]!, records[4]!];
    const v = check(w, swapped);
    expect(v.validity).toBe('invalid');
    expect(v.examples).toEqual([expect.objectContaining({ table: 'accounts', key: '{"id":1}', versions: ['3u', '2u'], positions: ['accounts@1', 'accounts@3'] })]);
  });

  it('orders the delete of a version after its write', () => {
    const { w, records } = delivered();
    const v = check(w, [records[0]!, records[1]!, records[2]!, records[4]!, records[3]!]);
    expect(v.examples[0]).toMatchObject({ versions: ['3d', '3u'] });
  });

  it('judges order only within one stream', () => {
    const { w, records } = delivered();
    const split = records.map((r) => (r.op === 'u' && r.version === 2 ? { ...r, stream: 'other' } : r));
    const late = [split[0]!, split[2]!, split[3]!, split[4]!, split[1]!];
    expect(check(w, late).validity).toBe('valid');
  });

  it('sorts a stream by seq when the reader did not', () => {
    const { w, records } = delivered();
    const shuffled = resequence(records).reverse();
    expect(reorderedChecker.check({ source: w.history(), sinks: [sinkHistory(shuffled)], faults: [], facts: healthyFacts(['redis']) })[0]!.validity).toBe('valid');
  });
});
