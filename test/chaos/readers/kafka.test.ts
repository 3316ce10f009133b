import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sinkTxnGroups } from '../../../chaos/src/readers/decode/kafka-groups.js';
import { PartitionProgress } from '../../../chaos/src/readers/kafka-progress.js';
import { topicsWithPrefix } from '../../../chaos/src/readers/kafka.js';

describe('sinkTxnGroups', () => {
  it('starts a new group at every offset gap (a marker or hidden records) and only there', () => {
    // Transactions of random sizes, each followed by one marker, some aborted (hidden, as read_committed does).
    fc.assert(
      fc.property(fc.array(fc.record({ size: fc.integer({ min: 1, max: 5 }), aborted: fc.boolean() }), { minLength: 1, maxLength: 20 }), (txns) => {
        let offset = 0;
        const offsets: number[] = [];
        const expected: number[] = [];
        let group = 0;
        for (const t of txns) {
          for (let i = 0; i < t.size; i++, offset++) if (!t.aborted) (offsets.push(offset), expected.push(group));
          offset++; // the commit/abort marker
          if (!t.aborted) group++;
        }
        expect(sinkTxnGroups(offsets)).toEqual(expected);
      }),
    );
  });

  it('puts gapless offsets in one group and rejects offsets out of order', () => {
    expect(sinkTxnGroups([5, 6, 7])).toEqual([0, 0, 0]);
    expect(sinkTxnGroups([])).toEqual([]);
    expect(() => sinkTxnGroups([3, 3])).toThrow(/offsets must ascend/);
  });
});

describe('PartitionProgress', () => {
  it('is done when every partition reached its target; read_uncommitted raises targets to the high watermark', () => {
    const committed = new PartitionProgress(false);
    committed.expect('t', 0, 0, 10);
    committed.expect('t', 1, 4, 4);
    expect(committed.pending()).toEqual(['t-0 0/10']);
    committed.observe('t', 0, 9, 12);
    expect(committed.pending()).toEqual([]);

    const dirty = new PartitionProgress(true);
    dirty.expect('t', 0, 0, 10);
    dirty.observe('t', 0, 9, 12);
    expect(dirty.pending()).toEqual(['t-0 10/12']);
    dirty.observe('t', 0, 11, 12);
    expect(dirty.pending()).toEqual([]);
  });
});

describe('topicsWithPrefix', () => {
  it('keeps internal __ topics out unless the prefix names them', () => {
    const all = ['cdc.b', '__tidemark_checkpoints', 'cdc.a', 'other', '__consumer_offsets'];
    expect(topicsWithPrefix(all, 'cdc.')).toEqual(['cdc.a', 'cdc.b']);
    expect(topicsWithPrefix(all, '')).toEqual(['cdc.a', 'cdc.b', 'other']);
    expect(topicsWithPrefix(all, '__tidemark')).toEqual(['__tidemark_checkpoints']);
  });
});
