/**
 * How far a Kafka read has got per partition, and where it must get to. Positions move on every
 * fetched batch, including batches of only control markers or aborted records, which consumers
 * never see as messages but which still occupy offsets.
 */
export class PartitionProgress {
  private readonly parts = new Map<string, { position: number; target: number }>();

  constructor(private readonly raiseToHighWatermark: boolean) {}

  /** `target`: the offset after the last one to read (high watermark or last stable offset). */
  expect(topic: string, partition: number, low: number, target: number): void {
    this.parts.set(`${topic}-${partition}`, { position: low, target });
  }

  /**
   * A batch ended at `lastOffset`. Under read_uncommitted the batch's high watermark can be
   * beyond the initial target (ListOffsets gave the last stable offset), so it raises it.
   */
  observe(topic: string, partition: number, lastOffset: number, highWatermark: number): void {
    const part = this.parts.get(`${topic}-${partition}`);
    if (!part) return;
    part.position = Math.max(part.position, lastOffset + 1);
    if (this.raiseToHighWatermark) part.target = Math.max(part.target, highWatermark);
  }

  /** Partitions not yet read to their target, as `topic-partition position/target`. */
  pending(): string[] {
    return [...this.parts].filter(([, p]) => p.position < p.target).map(([name, p]) => `${name} ${p.position}/${p.target}`);
  }
}
