import { BitSet, int32, type SinkRecord, type SourceLog } from '../history/index.js';
import type { CheckerDef, SinkAccumulator, SinkMeta, SinkSummary, TableFilter } from './checker.js';
import { Matcher, type RecordMatch, type WrittenMatch } from './match.js';
import { sinkLabel, sinkTables } from './sink-view.js';
import type { VersionIndex } from './version-index.js';

interface Slot {
  readonly def: CheckerDef;
  readonly acc: SinkAccumulator<unknown> | null;
  crashed: Error | null;
}

/**
 * One sink history streaming past every checker: each record is matched once (identity and
 * image fingerprints), then offered to each checker's accumulator. Nothing keeps the record.
 * The rare record whose source version is ambiguous is held until `settle()`.
 */
export class SinkPass {
  readonly delivered = new BitSet();
  readonly label: string;
  readonly tables: TableFilter;
  records = 0;
  private readonly matcher: Matcher;
  private readonly slots: Slot[];
  private pending: { r: SinkRecord; choices: readonly number[] }[] = [];
  // sink tx id → source txn → records under that id that could be of it (only txns sharing an identity).
  private readonly votes = new Map<string, Map<number, number>>();
  /** Per key (log id), the version of its last write seen in this history, and in which stream (id + 1). */
  private readonly lastVersion = int32();
  private readonly lastStream = int32();
  private readonly streams = new Map<string, number>();
  /** Versions inferred for key-only deletes, by stream and event (see withInferredVersion). */
  private readonly inferredDeletes = new Map<string, number>();

  constructor(
    private readonly log: SourceLog,
    private readonly index: () => VersionIndex,
    readonly meta: SinkMeta,
    defs: readonly CheckerDef[],
    /** Sees every record with its match, after the checkers (measurements such as latency). */
    private readonly observe?: (r: SinkRecord, m: RecordMatch) => void,
  ) {
    this.label = sinkLabel(meta);
    this.tables = sinkTables(log, meta.tables);
    this.matcher = new Matcher(log, index);
    const ctx = { log, index, meta, label: this.label, tables: this.tables };
    this.slots = defs.map((def) => {
      try {
        return { def, acc: def.forSink?.(ctx) ?? null, crashed: null };
      } catch (e) {
        return { def, acc: null, crashed: asError(e) };
      }
    });
  }

  add(record: SinkRecord): void {
    this.records++;
    const r = this.withInferredVersion(record);
    const m = this.matcher.match(r);
    if (m.kind === 'written') this.delivered.add(m.v);
    if (m.kind === 'written' && r.dlq) this.dlqSet(r.dlq.sink).add(m.v);
    if (r.txId !== null && (m.kind === 'written' || m.kind === 'ambiguous')) this.vote(r.txId, m);
    if (m.kind === 'ambiguous') this.pending.push({ r, choices: m.choices });
    for (const s of this.slots) {
      if (!s.acc || s.crashed) continue;
      try {
        s.acc.add(r, m);
      } catch (e) {
        s.crashed = asError(e);
      }
    }
    this.observe?.(r, m);
  }

  /**
   * A delete whose before image holds only the key (Postgres, default replica identity) names no
   * version; within one stream the key's order is kept, so it removed the version of the key's
   * last write there, which is then its version. A replayed copy of the delete (at-least-once,
   * after a crash) may follow later writes of the key that the first delivery already preceded
   * ([.. u3, d, c4 | d, c4]): it takes the version inferred for its first copy, which it names
   * by its event identity (idempotency key, else source transaction and index).
   */
  private withInferredVersion(r: SinkRecord): SinkRecord {
    const table = this.log.tableId(r.table);
    const key = table === undefined ? undefined : this.log.findKey(table, r.key);
    if (key === undefined || r.op === 't') return r;
    let stream = this.streams.get(r.stream);
    if (stream === undefined) this.streams.set(r.stream, (stream = this.streams.size));
    this.lastVersion.ensure(key + 1);
    this.lastStream.ensure(key + 1);
    if (r.version !== null) {
      if (r.op !== 'd') {
        this.lastVersion.set(key, r.version);
        this.lastStream.set(key, stream + 1);
      }
      return r;
    }
    if (r.op !== 'd' || this.lastStream.get(key) !== stream + 1) return r;
    const event = r.idempotencyKey ?? (r.txId !== null && r.txIndex !== null ? `${r.txId}\u0001${r.txIndex}` : null);
    if (event === null) return { ...r, version: this.lastVersion.get(key) };
    const id = `${stream}\u0001${event}`;
    let version = this.inferredDeletes.get(id);
    if (version === undefined) this.inferredDeletes.set(id, (version = this.lastVersion.get(key)));
    return { ...r, version };
  }

  undecodable(position: string, error: string): void {
    for (const s of this.slots) {
      if (!s.acc?.undecodable || s.crashed) continue;
      try {
        s.acc.undecodable(position, error);
      } catch (e) {
        s.crashed = asError(e);
      }
    }
  }

  /**
   * Decides every ambiguous record: two indeterminate transactions wrote the same identity and
   * only one took effect. The records sharing this record's sink transaction id came from one
   * source transaction, so the candidate most of them could belong to wins; then the one with
   * most of its other versions delivered; then the later one.
   */
  settle(): void {
    const log = this.log;
    const decided = this.pending.map(({ r, choices }) => {
      const score = (v: number): number[] => {
        const t = log.vTxn.get(v);
        const first = log.tFirst.get(t);
        const count = log.tCount.get(t);
        let present = 0;
        for (let i = first; i < first + count; i++) if (i !== v && this.delivered.has(i)) present++;
        const votes = r.txId !== null ? (this.votes.get(r.txId)?.get(t) ?? 0) : 0;
        return [votes, count === 1 ? 1 : present / (count - 1), log.tId.get(t)];
      };
      const scored = choices.map((v) => ({ v, s: score(v) })).sort((a, b) => b.s[0]! - a.s[0]! || b.s[1]! - a.s[1]! || b.s[2]! - a.s[2]!);
      return { r, v: scored[0]!.v };
    });
    this.pending = [];
    for (const { r, v } of decided) {
      const m: WrittenMatch = this.matcher.written(v, r);
      this.delivered.add(v);
      if (r.dlq) this.dlqSet(r.dlq.sink).add(v);
      for (const s of this.slots) {
        if (!s.acc?.resolved || s.crashed) continue;
        try {
          s.acc.resolved(r, m);
        } catch (e) {
          s.crashed = asError(e);
        }
      }
    }
  }

  summary(): SinkSummary {
    return { meta: this.meta, label: this.label, tables: this.tables, delivered: this.delivered, records: this.records, ...(this.meta.kind === 'dlq' ? { dlqBySink: this.dlqBySink } : {}) };
  }

  private readonly dlqBySink = new Map<string, BitSet>();

  private dlqSet(sink: string): BitSet {
    let set = this.dlqBySink.get(sink);
    if (!set) this.dlqBySink.set(sink, (set = new BitSet()));
    return set;
  }

  /** The accumulator result of `def` for this sink (undefined when not applicable), or the error it threw. */
  resultOf(def: CheckerDef): { applies: boolean; value?: unknown; error?: Error } {
    const s = this.slots.find((x) => x.def === def)!;
    if (s.crashed) return { applies: true, error: s.crashed };
    if (!s.acc) return { applies: false };
    try {
      return { applies: true, value: s.acc.result() };
    } catch (e) {
      return { applies: true, error: asError(e) };
    }
  }

  get bytes(): number {
    return this.delivered.bytes + this.slots.reduce((n, s) => n + (s.acc?.bytes?.() ?? 0), 0);
  }

  get slowPathEqual(): number {
    return this.matcher.slowPathEqual;
  }

  private vote(txId: string, m: Extract<RecordMatch, { kind: 'written' | 'ambiguous' }>): void {
    const index = this.index();
    const versions = m.kind === 'written' ? [m.v] : m.choices;
    for (const v of versions) {
      const t = this.log.vTxn.get(v);
      if (!index.sharingTxns.has(t)) continue;
      let byTxn = this.votes.get(txId);
      if (!byTxn) this.votes.set(txId, (byTxn = new Map()));
      byTxn.set(t, (byTxn.get(t) ?? 0) + 1);
    }
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
