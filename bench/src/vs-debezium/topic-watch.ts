import kafkajs from 'kafkajs';
import { procSample, type ProcSample } from './proc-stats.js';

/** One look at the topic and at the processes that matter, taken together. */
export interface Sample {
  /** ms since the watch started. */
  readonly at: number;
  /** Per partition: the last stable offset (read_committed end), so open transactions do not count. */
  readonly ends: readonly number[];
  readonly system: ProcSample | null;
  readonly broker: ProcSample | null;
}

const INTERVAL_MS = 50;

/**
 * Samples a topic's end offsets every 50 ms, with the CPU and RSS of the system under test and of
 * the broker. kafkajs' admin lists offsets read_committed, so an end is a last stable offset: a
 * record below it is committed (or aborted) for good. The samples become timings only once the
 * topic was read (`timeline`), because a transactional producer's markers take offsets too.
 */
export class TopicWatch {
  readonly samples: Sample[] = [];
  private readonly admin: kafkajs.Admin;
  readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private failure: Error | null = null;

  constructor(brokers: string, private readonly topic: string, private readonly pids: { system: () => number | undefined; broker: number | undefined }) {
    this.admin = new kafkajs.Kafka({ brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING, clientId: 'vs-debezium-watch' }).admin();
  }

  async start(): Promise<void> {
    await this.admin.connect();
    this.timer = setInterval(() => void this.poll(), INTERVAL_MS);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const offsets = await this.admin.fetchTopicOffsets(this.topic);
      const ends = offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.offset));
      const pid = this.pids.system();
      this.samples.push({ at: performance.now() - this.startedAt, ends, system: pid ? procSample(pid) : null, broker: this.pids.broker ? procSample(this.pids.broker) : null });
    } catch (e) {
      this.failure = e as Error;
    } finally {
      this.polling = false;
    }
  }

  get total(): number {
    const last = this.samples.at(-1);
    return last ? last.ends.reduce((a, b) => a + b, 0) : 0;
  }

  /**
   * Resolves once the topic holds at least `atLeast` offsets and has not moved for `settleMs`
   * (the backlog is drained); rejects when nothing moved for `stallMs` before that, or when
   * `alive()` says the system died. `progress` is called about once a second.
   */
  async untilSettled(o: { atLeast: number; settleMs: number; stallMs: number; signal: AbortSignal; alive: () => Promise<string | null> | string | null; progress: (total: number, seconds: number) => void }): Promise<void> {
    let lastTotal = -1;
    let movedAt = performance.now();
    let reportedAt = 0;
    let checkedAt = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      o.signal.throwIfAborted();
      if (this.failure) throw new Error(`watching ${this.topic}: ${this.failure.message}`);
      const total = this.total;
      const now = performance.now();
      if (total !== lastTotal) {
        lastTotal = total;
        movedAt = now;
      }
      if (now - reportedAt >= 1000) {
        reportedAt = now;
        o.progress(total, (now - this.startedAt) / 1000);
      }
      if (total >= o.atLeast && now - movedAt >= o.settleMs) return;
      // Once a second: asking the engine's API costs it a little CPU.
      if (now - checkedAt >= 1000) {
        checkedAt = now;
        const dead = await o.alive();
        // Judged after the count: a benchmark that exits once done is not dead.
        if (dead && total < o.atLeast) throw new Error(dead);
      }
      if (now - movedAt >= o.stallMs) throw new Error(`no progress on ${this.topic} for ${Math.round(o.stallMs / 1000)} s at ${total.toLocaleString('en-US')} of ${o.atLeast.toLocaleString('en-US')} offsets`);
    }
  }

  /** Idempotent. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    while (this.polling) await new Promise((r) => setTimeout(r, 10));
    await this.admin.disconnect();
  }
}

export interface Timeline {
  /** ms from the watch's start to the first sample showing a record / the Nth record. */
  readonly firstAt: number;
  readonly nthAt: number;
  readonly first: Sample;
  readonly nth: Sample;
}

/**
 * When the first and the Nth data record became visible, given each partition's data offsets
 * (ascending, as a read_committed read returns them): a sample's count is, per partition, the
 * data records below its end.
 */
export function timeline(samples: readonly Sample[], dataOffsets: ReadonlyArray<readonly number[]>, n: number): Timeline {
  const cursor = dataOffsets.map(() => 0);
  let first: Sample | null = null;
  for (const sample of samples) {
    let count = 0;
    sample.ends.forEach((end, p) => {
      const offsets = dataOffsets[p] ?? [];
      while (cursor[p]! < offsets.length && offsets[cursor[p]!]! < end) cursor[p]!++;
      count += cursor[p]!;
    });
    if (count >= 1 && !first) first = sample;
    if (count >= n) return { firstAt: first!.at, nthAt: sample.at, first: first!, nth: sample };
  }
  throw new Error(`the samples never showed ${n.toLocaleString('en-US')} records`);
}
