/**
 * A bounded single-producer single-consumer queue: a worker reads ahead at most `capacity`
 * chunks, so a parallel snapshot never holds more than that many chunks per worker in memory.
 */
export class Channel<T> {
  private readonly items: T[] = [];
  private closedWith: { error: unknown } | null = null;
  private done = false;
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.done && !this.closedWith) await new Promise<void>((r) => (this.wakeProducer = r));
    if (this.done || this.closedWith) return;
    this.items.push(item);
    this.wakeConsumer?.();
  }

  /** The next item, or undefined once the producer ended. Rethrows the producer's failure. */
  async pull(): Promise<T | undefined> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift()!;
        this.wakeProducer?.();
        return item;
      }
      if (this.closedWith) throw this.closedWith.error;
      if (this.done) return undefined;
      await new Promise<void>((r) => (this.wakeConsumer = r));
    }
  }

  /** The producer is finished (or the consumer gave up: pushes then return at once). */
  end(): void {
    this.done = true;
    this.wakeConsumer?.();
    this.wakeProducer?.();
  }

  fail(error: unknown): void {
    this.closedWith ??= { error };
    this.wakeConsumer?.();
    this.wakeProducer?.();
  }
}
