import { BitSet, float64, uint16, uint32, type SinkRecord, type Verdict } from '../history/index.js';
import type { CheckerDef, SinkAccumulator, SinkContext } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import type { RecordMatch, WrittenMatch } from './match.js';
import { inTables, sinkVerdict } from './sink-view.js';

/**
 * For exactly-once Kafka read with read_committed: every Kafka transaction that holds any
 * record of a source transaction holds all of that transaction's versions (for the sink's
 * tables). This catches a source transaction split across Kafka transactions and one only
 * partly visible. A whole second copy in another Kafka transaction is not torn (that is a
 * duplicate, which `duplicated` judges).
 */
export const tornTransactionDef: CheckerDef<Verdict> = {
  name: 'torn-transaction',
  forSink: (ctx) => (ctx.meta.kind === 'kafka' && ctx.meta.exactlyOnce && ctx.meta.isolation !== 'read_uncommitted' ? new Tears(ctx) : null),
  verdicts(_ctx, results) {
    if (results.length === 0) return [{ checker: 'torn-transaction', validity: 'valid', summary: 'not applicable: no exactly-once Kafka sink read with read_committed', counts: { applicable: 0 }, examples: [] }];
    return results.map((r) => r.value);
  },
};

export const tornTransactionChecker = checkerOf('torn-transaction', [tornTransactionDef]);

interface Group {
  readonly versions: Set<number>;
  readonly position: string;
}

/**
 * Per source transaction, its first Kafka transaction in flat columns (nearly every source
 * transaction has exactly one); any further Kafka transaction holding some of it goes to a map.
 * The counting is order-free, so a record whose version is decided late counts the same.
 */
class Tears implements SinkAccumulator<Verdict> {
  private readonly seenTxns = new BitSet();
  private readonly firstSinkTxn = float64();
  private readonly firstCount = uint32();
  private readonly firstSeq = float64();
  private readonly firstStream = uint16();
  private readonly inFirst = new BitSet();
  private readonly more = new Map<number, Map<number, Group>>();
  private readonly streams: string[] = [];
  private withoutSinkTxn = 0;

  constructor(private readonly ctx: SinkContext) {}

  add(r: SinkRecord, m: RecordMatch): void {
    if (m.kind === 'written') this.resolved(r, m);
  }

  resolved(r: SinkRecord, m: WrittenMatch): void {
    if (r.sinkTxn === null) {
      this.withoutSinkTxn++;
      return;
    }
    const t = this.ctx.log.vTxn.get(m.v);
    if (this.seenTxns.add(t)) {
      for (const c of [this.firstSinkTxn, this.firstCount, this.firstSeq, this.firstStream]) c.ensure(t + 1);
      this.firstSinkTxn.set(t, r.sinkTxn);
      this.firstSeq.set(t, r.seq);
      this.firstStream.set(t, this.streamId(r.stream));
    }
    if (this.firstSinkTxn.get(t) === r.sinkTxn) {
      if (this.inFirst.add(m.v)) this.firstCount.set(t, this.firstCount.get(t) + 1);
      return;
    }
    let groups = this.more.get(t);
    if (!groups) this.more.set(t, (groups = new Map()));
    let group = groups.get(r.sinkTxn);
    if (!group) groups.set(r.sinkTxn, (group = { versions: new Set(), position: r.position }));
    group.versions.add(m.v);
  }

  result(): Verdict {
    const { log, label } = this.ctx;
    if (this.withoutSinkTxn > 0) {
      return { checker: 'torn-transaction', sink: label, validity: 'unknown', summary: `${this.withoutSinkTxn} records carry no Kafka transaction index, so transaction boundaries cannot be judged`, counts: { withoutSinkTxn: this.withoutSinkTxn }, examples: [] };
    }
    const problems = new Examples();
    for (let t = 0; t < this.firstSinkTxn.length; t++) {
      if (!this.seenTxns.has(t)) continue;
      const first = log.tFirst.get(t);
      const expected: number[] = [];
      for (let v = first; v < first + log.tCount.get(t); v++) if (inTables(log, this.ctx.tables, v)) expected.push(v);
      const extra = this.more.get(t);
      const firstComplete = this.firstCount.get(t) >= expected.length;
      if (firstComplete && (!extra || [...extra.values()].every((g) => g.versions.size >= expected.length))) continue;
      problems.add(() => {
        const firstGroup = { sinkTxn: this.firstSinkTxn.get(t), versions: this.firstCount.get(t), position: `${this.streams[this.firstStream.get(t)]}@${this.firstSeq.get(t)}` };
        const groups = [firstGroup, ...[...(extra ?? [])].map(([sinkTxn, g]) => ({ sinkTxn, versions: g.versions.size, position: g.position }))];
        const holds = (v: number, i: number) => (i === 0 ? this.inFirst.has(v) : [...extra!.values()][i - 1]!.versions.has(v));
        const partial = groups.flatMap((g, i) => (g.versions < expected.length ? [i] : []));
        return {
          sourceTxn: log.tId.get(t),
          outcome: log.effectiveOutcome(t),
          versions: expected.length,
          sinkTxns: groups,
          missingFromSome: expected.filter((v) => partial.some((i) => !holds(v, i))).slice(0, 5).map((v) => describe(this.ctx, v)),
        };
      });
    }
    return sinkVerdict('torn-transaction', label, problems, `all ${this.seenTxns.size} source transactions seen arrived whole, each within one Kafka transaction`, `${problems.total} source transactions are split across Kafka transactions or partly visible`, {
      sourceTxns: this.seenTxns.size,
      torn: problems.total,
    });
  }

  private streamId(stream: string): number {
    const i = this.streams.indexOf(stream);
    return i >= 0 ? i : this.streams.push(stream) - 1;
  }

  bytes(): number {
    return this.seenTxns.bytes + this.inFirst.bytes + this.firstSinkTxn.bytes * 2 + this.firstCount.bytes + this.firstStream.bytes;
  }
}

function describe(ctx: SinkContext, v: number): string {
  const { log } = ctx;
  const slot = log.vSlot.get(v);
  return `${log.tableOfVersion(v)} ${log.keyStrings[log.vKey.get(v)]} v${slot >> 2}${'cudr'[slot & 3]}`;
}
