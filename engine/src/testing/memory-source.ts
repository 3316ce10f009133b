import type { ChangeEvent, Position } from '../event/index.js';
import type { Source, SourceContext } from '../sources/source.js';

/** Position of the memory source: index of the event in its log. */
export interface MemoryPosition extends Position {
  readonly offset: number;
}

export interface MemoryLog {
  readonly length: number;
  at(offset: number): ChangeEvent;
}

/**
 * Test double: replays a scripted log from the resume position, honouring pause/resume, and
 * records what the coordinator asked of it. For unit and property tests and benchmarks only.
 */
export class MemorySource implements Source {
  readonly id: string;
  /** Every `resumeFrom` this source was started with, in order. */
  readonly starts: Array<Position | null> = [];
  readonly acknowledged: Position[] = [];
  pauses = 0;
  /** Events emitted so far (all runs). */
  emitted = 0;
  /** True while the source sits paused, emitting nothing until resume(). */
  parked = false;
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;

  private readonly chunk: number;
  private readonly chunkDelayMs: number;
  private readonly follow: boolean;

  /**
   * `chunk` events are emitted per read; `chunkDelayMs` between reads paces the log (crash tests).
   * With `follow`, the source waits at the end of the log for more, like a binlog or slot tail.
   */
  constructor(private readonly log: MemoryLog, options: { id?: string; chunk?: number; chunkDelayMs?: number; follow?: boolean } = {}) {
    this.id = options.id ?? 'memory';
    this.chunk = options.chunk ?? 512;
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.follow = options.follow ?? false;
  }

  static fromEvents(events: readonly ChangeEvent[], options?: { id?: string; chunk?: number; chunkDelayMs?: number }): MemorySource {
    return new MemorySource({ length: events.length, at: (i) => events[i]! }, options);
  }

  async start(ctx: SourceContext): Promise<Position> {
    this.starts.push(ctx.resumeFrom);
    this.stopped = false;
    const from = ctx.resumeFrom ? (ctx.resumeFrom as MemoryPosition).offset + 1 : 0;
    this.running = this.pump(ctx, from);
    return { offset: from - 1 };
  }

  pause(): void {
    if (!this.paused) this.pauses++;
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  acknowledge(position: Position): void {
    this.acknowledged.push(position);
  }

  comparePositions(a: Position, b: Position): number {
    return (a as MemoryPosition).offset - (b as MemoryPosition).offset;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Resolves when the whole log was emitted (or the source stopped). */
  finished(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async pump(ctx: SourceContext, from: number): Promise<void> {
    let i = from;
    while ((this.follow || i < this.log.length) && !this.stopped) {
      if (i >= this.log.length) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if (this.paused) {
        this.parked = true;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.parked = false;
        this.wake = null;
        continue;
      }
      const end = Math.min(this.log.length, i + this.chunk);
      // Like a socket read: a chunk arrives whole even if pause() is called half way through.
      for (; i < end && !this.stopped; i++, this.emitted++) ctx.emit(this.log.at(i));
      await new Promise<void>((resolve) => (this.chunkDelayMs > 0 ? setTimeout(resolve, this.chunkDelayMs) : setImmediate(resolve)));
    }
  }
}

/** A minimal well-formed event at `offset`, for logs built in tests. */
export function memoryEvent(offset: number, fields: { table?: string; key: number; txId: string; txIndex: number; txEnd: boolean; op?: ChangeEvent['op']; version?: number; size?: number }): ChangeEvent {
  const op = fields.op ?? 'c';
  const row = { id: fields.key, v: fields.version ?? offset };
  return {
    id: `ev-${offset}`,
    source: { connector: 'memory', name: 'memory', db: 'db', table: fields.table ?? 't', position: { offset } },
    op,
    before: op === 'c' || op === 'r' ? null : row,
    after: op === 'd' ? null : row,
    tx: { id: fields.txId, index: fields.txIndex, end: fields.txEnd },
    ts: 0,
    schemaVersion: null,
    size: fields.size ?? 64,
    primaryKey: ['id'],
  };
}
