/**
 * Kafka transaction boundaries from offsets alone. A transactional producer's records occupy
 * consecutive offsets of a partition, and each commit or abort writes a control marker that
 * takes the next offset; consumers never see markers (nor, under read_committed, aborted
 * records). So within one partition read in offset order, a gap between two consecutive
 * records' offsets means a transaction ended between them (verified in
 * test/chaos/readers/kafka.int.test.ts). Without transactions there are no gaps and
 * everything is one group.
 *
 * Limits: the index is per partition (one Kafka transaction spanning partitions has a group in
 * each); it assumes one producer per partition (the engine's one producer per sink), since
 * interleaved transactions of several producers share the gaps; a compacted topic also leaves gaps.
 *
 * Returns the group index (from 0) of each offset, which must be ascending.
 */
export function sinkTxnGroups(offsets: readonly number[]): number[] {
  const groups: number[] = [];
  let group = 0;
  offsets.forEach((offset, i) => {
    if (i > 0) {
      const previous = offsets[i - 1] as number;
      if (offset <= previous) throw new Error(`offsets must ascend: ${offset} after ${previous}`);
      if (offset !== previous + 1) group += 1;
    }
    groups.push(group);
  });
  return groups;
}
