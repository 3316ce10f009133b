import { Judge, type CheckerDef, type FinalSource, type RunFacts } from '../checkers/index.js';
import { BitSet, OP_CODE, POISON_SINKS, type FaultEvent, type SinkRecord, type SourceLog, type Verdict } from '../history/index.js';
import type { CheckCost } from '../report/index.js';
import { LatencyHistogram, type LatencySummary } from './latency.js';
import type { SinkFeed, SinkIo } from '../readers/index.js';
import { WARMUP_TABLE } from './warm-up.js';

/** A record may wait this long for its transaction to show up in the history (the client saw COMMIT return). */
const MAX_WAIT_MS = 120_000;

interface Feed extends SinkFeed {
  readonly pass: ReturnType<Judge['sink']>;
  /** Per stream, records not judged yet because their version is not in the history yet. */
  readonly held: Map<string, { r: SinkRecord; since: number }[]>;
  readonly latency: LatencyHistogram;
  readonly firstCopies: BitSet;
  /** The sink's name: the first feed of a sink is what a consumer sees (Kafka read_committed). */
  readonly primary: boolean;
}

/**
 * The checkers fed while the sinks are read, incrementally: each `poll` reads what every sink
 * received since the last one (readers/io, readers/tails) and streams it through the judge.
 * Nothing keeps a sink history, so a run of millions of records is judged in bounded memory,
 * and a soak can ask for verdicts every minute.
 *
 * A CDC engine may deliver a row before the workload saw its COMMIT return (so before the
 * version is in the history): such a record, and every later one of its stream (to keep the
 * stream's order), waits until its version is recorded, until the key holds a newer version
 * (it never will be), for at most MAX_WAIT_MS, or until the workload is over.
 */
export class LiveJudge {
  readonly judge: Judge;
  private readonly feeds: Feed[] = [];
  private settled = false;
  private seconds = 0;
  private complete = false;

  /** Set once the workload has stopped: nothing will be appended to the history any more. */
  get historyComplete(): boolean {
    return this.complete;
  }

  set historyComplete(value: boolean) {
    if (value && !this.complete) this.log.trim();
    this.complete = value;
  }

  constructor(
    readonly log: SourceLog,
    defs: readonly CheckerDef[],
    sinks: readonly SinkIo[],
    tables?: readonly string[],
    /** More histories to judge besides the sinks' (the DLQ journal). */
    extra: readonly SinkFeed[] = [],
  ) {
    this.judge = new Judge(log, defs);
    const feeds = [...sinks.map((io) => io.feeds(log.primaryKeys)), ...extra.map((f) => [f])];
    for (const group of feeds) {
      group.forEach((f, i) => {
        const latency = new LatencyHistogram();
        const firstCopies = new BitSet();
        const pass = this.judge.sink({ ...f.meta, ...(tables ? { tables } : {}) }, (r, m) => {
          if (m.kind !== 'written' || r.arrivedAt === undefined || !firstCopies.add(m.v)) return;
          latency.add(r.arrivedAt - log.tCompletedAt.get(log.vTxn.get(m.v)));
        });
        this.feeds.push({ ...f, pass, held: new Map(), latency, firstCopies, primary: i === 0 });
      });
    }
  }

  /**
   * Reads what every sink received since the last poll and judges it; false when a read stopped
   * early. `final`: the last read, which also reads the tails that read only then (the DLQ).
   */
  async poll(final = false): Promise<boolean> {
    const started = Date.now();
    this.judge.pin();
    try {
      const complete = await Promise.all(this.feeds.filter((f) => final || !f.tail.finalOnly).map((f) => f.tail.read((r) => this.offer(f, r), (position, error) => f.pass.undecodable(position, error))));
      for (const f of this.feeds) this.release(f);
      return complete.every(Boolean);
    } finally {
      this.judge.unpin();
      this.seconds += (Date.now() - started) / 1000;
    }
  }

  /** Whether the sink (as a consumer sees it) holds every acknowledged version of its tables. */
  holdsEverything(sink: string): boolean {
    const feed = this.feeds.find((f) => f.primary && f.meta.sink === sink);
    if (!feed) return false;
    const { log } = this;
    const { delivered, tables } = feed.pass;
    // A version the sink must refuse is the DLQ's to hold (a bounded DLQ may have dropped it):
    // `lost` and `dlq` judge those; catching up means holding every other one.
    const bit = (POISON_SINKS as readonly string[]).indexOf(sink);
    for (let v = 0; v < log.versionCount; v++) {
      if (delivered.has(v) || (bit >= 0 && (log.vPoison.get(v) & (1 << bit)) !== 0)) continue;
      if (log.acknowledged(log.vTxn.get(v)) && tables.has(log.keyTable.get(log.vKey.get(v)))) return false;
    }
    return true;
  }

  /** Acknowledged versions committed before `before` that a sink (as a consumer sees it) still lacks. */
  missingBefore(sink: string, before: number): number[] {
    const feed = this.feeds.find((f) => f.primary && f.meta.sink === sink);
    if (!feed) return [];
    const { log } = this;
    const missing: number[] = [];
    for (let v = 0; v < log.versionCount; v++) {
      const t = log.vTxn.get(v);
      if (log.tCompletedAt.get(t) < before && !feed.pass.delivered.has(v) && log.acknowledged(t) && feed.pass.tables.has(log.keyTable.get(log.vKey.get(v)))) missing.push(v);
    }
    return missing;
  }

  /** The final verdicts: records still held are judged as they are (the history is complete). */
  verdicts(facts: RunFacts, faults: readonly FaultEvent[], finalSource?: FinalSource): Verdict[] {
    this.historyComplete = true;
    for (const f of this.feeds) this.release(f);
    this.settled = true;
    const started = Date.now();
    const verdicts = this.judge.verdicts(facts, faults, finalSource ? { finalSource } : {});
    this.seconds += (Date.now() - started) / 1000;
    return verdicts;
  }

  /** Verdicts of the checkers that can judge a run still in progress (no settling of ambiguous records). */
  interim(facts: RunFacts, faults: readonly FaultEvent[], checkers: readonly string[]): Verdict[] {
    if (this.settled) return [];
    return this.judge.verdicts(facts, faults, { settle: false, only: checkers });
  }

  /** End-to-end latency per sink history (source commit to sink arrival, first copies only). */
  latency(): Record<string, LatencySummary> {
    return Object.fromEntries(this.feeds.filter((f) => f.latency.count > 0).map((f) => [f.pass.label, f.latency.summary()]));
  }

  cost(): CheckCost {
    return { ...this.judge.cost(), seconds: this.seconds };
  }

  async close(): Promise<void> {
    for (const f of this.feeds) await f.tail.close().catch(() => undefined);
  }

  private offer(f: Feed, r: SinkRecord): void {
    if (r.table === WARMUP_TABLE.name) return;
    const queue = f.held.get(r.stream);
    if (queue && queue.length > 0) queue.push({ r, since: Date.now() });
    else if (this.judgeable(r)) f.pass.add(r);
    else f.held.set(r.stream, [{ r, since: Date.now() }]);
  }

  private release(f: Feed): void {
    const now = Date.now();
    for (const queue of f.held.values()) {
      let i = 0;
      while (i < queue.length && (this.historyComplete || this.judgeable(queue[i]!.r) || now - queue[i]!.since > MAX_WAIT_MS)) f.pass.add(queue[i++]!.r);
      queue.splice(0, i);
    }
  }

  /** The record's version is in the history, or never will be; or the record names no version. */
  private judgeable(r: SinkRecord): boolean {
    if (this.historyComplete || r.op === 't' || r.version === null) return true;
    const table = this.log.tableId(r.table);
    const key = table === undefined ? undefined : this.log.findKey(table, r.key);
    if (key === undefined) return false;
    const index = this.judge.index();
    const ops = r.op === 'r' ? [0, 1] : [OP_CODE[r.op]!];
    if (ops.some((op) => index.find(key, r.version! * 4 + op) >= 0)) return true;
    return index.lastSlot(key) >> 2 > r.version;
  }
}
