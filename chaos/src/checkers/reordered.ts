import { float64, int32, uint16, uint8, type SinkRecord, type Verdict } from '../history/index.js';
import type { CheckerDef, SinkAccumulator, SinkContext } from './checker.js';
import { Examples } from './examples.js';
import { versionRank } from './identity.js';
import { checkerOf } from './judge.js';
import { deliveryToken, type RecordMatch } from './match.js';
import { sinkVerdict } from './sink-view.js';

/**
 * Per key within one stream, a version seen for the first time must be newer than every
 * version seen before for that key. A replayed suffix (after a crash or a retried batch)
 * repeats versions already seen and is allowed; a swap delivers an older, unseen version after
 * a newer one and is not. Within one version the write precedes the delete that removed it.
 */
export const reorderedDef: CheckerDef<Verdict> = {
  name: 'reordered',
  // The DLQ journal promises no order; every other history keeps per-key order per stream.
  forSink: (ctx) => (ctx.meta.kind === 'dlq' ? null : new Reorders(ctx)),
  verdicts: (_ctx, results) => results.map((r) => r.value),
};

export const reorderedChecker = checkerOf('reordered', [reorderedDef]);

interface KeyState {
  rank: number;
  op: string;
  position: string;
  txId: string | null;
}

const OPS = ['c', 'u', 'd', 'r', 't'];

/**
 * State per key in flat columns indexed by the log's key id, for the stream a key is first seen
 * in (a key lives in one stream: one partition, one Redis stream); other (stream, key) pairs and
 * keys the log does not know go to a map.
 */
class Reorders implements SinkAccumulator<Verdict> {
  private readonly streams = new Map<string, number>();
  // Versions seen, per stream: the first stream (id + 1) per version, other pairs in a set.
  private readonly seenStream = uint16();
  private readonly seenElsewhere = new Set<string>();
  private readonly keyStream = int32();
  private readonly keyRank = float64();
  private readonly keyOp = uint8();
  private readonly keyPosition: string[] = [];
  private readonly keyTx: (string | null)[] = [];
  private readonly otherKeys = new Map<string, KeyState>();
  private readonly problems = new Examples();
  private keys = 0;
  private judged = 0;
  private replayed = 0;

  constructor(private readonly ctx: SinkContext) {
    this.seenStream.reserve(ctx.log.versionCount);
  }

  add(r: SinkRecord, m: RecordMatch): void {
    if (r.version === null || r.op === 't') return;
    this.judged++;
    const stream = this.streamId(r.stream);
    const token = deliveryToken(m, r, this.ctx.index())!;
    if (this.wasSeen(token, stream)) {
      this.replayed++;
      return;
    }
    const rank = versionRank(r.version, r.op);
    const key = this.keyId(r, m);
    const mine = key !== undefined && (this.keyStream.get(key) === stream || this.keyStream.get(key) === -1);
    if (key !== undefined && mine) {
      if (this.keyStream.get(key) === -1) {
        this.keyStream.set(key, stream);
        this.set(key, rank, r);
        this.keys++;
        return;
      }
      const newest = this.keyRank.get(key);
      if (rank > newest) this.set(key, rank, r);
      else if (rank < newest) this.report(r, { rank: newest, op: OPS[this.keyOp.get(key)]!, position: this.keyPosition[key]!, txId: this.keyTx[key] ?? null });
      return;
    }
    const name = `${stream}\u0001${r.table}\u0001${r.key}`;
    const state = this.otherKeys.get(name);
    if (!state) {
      this.otherKeys.set(name, { rank, op: r.op, position: r.position, txId: r.txId });
      this.keys++;
    } else if (rank > state.rank) Object.assign(state, { rank, op: r.op, position: r.position, txId: r.txId });
    else if (rank < state.rank) this.report(r, state);
  }

  private report(r: SinkRecord, newer: KeyState): void {
    // Equal rank is the same version by another path (a snapshot read, then its stream record).
    this.problems.add(() => ({
      table: r.table,
      key: r.key,
      stream: r.stream,
      versions: [`${Math.floor(newer.rank / 2)}${newer.op}`, `${r.version}${r.op}`],
      positions: [newer.position, r.position],
      txIds: [newer.txId, r.txId],
    }));
  }

  private set(key: number, rank: number, r: SinkRecord): void {
    this.keyRank.set(key, rank);
    this.keyOp.set(key, OPS.indexOf(r.op));
    this.keyPosition[key] = r.position;
    this.keyTx[key] = r.txId;
  }

  private wasSeen(token: number | string, stream: number): boolean {
    if (typeof token === 'number') {
      this.seenStream.ensure(token + 1);
      const first = this.seenStream.get(token);
      if (first === 0) {
        this.seenStream.set(token, stream + 1);
        return false;
      }
      if (first === stream + 1) return true;
    }
    const name = `${stream}\u0001${token}`;
    if (this.seenElsewhere.has(name)) return true;
    this.seenElsewhere.add(name);
    return false;
  }

  /** The log's id for the record's key (whatever its version), or undefined. */
  private keyId(r: SinkRecord, m: RecordMatch): number | undefined {
    const log = this.ctx.log;
    let key: number | undefined;
    if (m.kind === 'written' || m.kind === 'failed') key = log.vKey.get(m.v);
    else if (m.kind === 'ambiguous') key = log.vKey.get(m.first);
    else {
      const table = log.tableId(r.table);
      key = table === undefined ? undefined : log.findKey(table, r.key);
    }
    if (key !== undefined && key >= this.keyStream.length) {
      const from = this.keyStream.length;
      this.keyStream.ensure(Math.max(key + 1, log.keyCount));
      this.keyRank.ensure(this.keyStream.length);
      this.keyOp.ensure(this.keyStream.length);
      for (let k = from; k < this.keyStream.length; k++) this.keyStream.set(k, -1);
    }
    return key;
  }

  private streamId(stream: string): number {
    let id = this.streams.get(stream);
    if (id === undefined) this.streams.set(stream, (id = this.streams.size));
    return id;
  }

  result(): Verdict {
    return sinkVerdict('reordered', this.ctx.label, this.problems, `per-key order held for ${this.keys} keys`, `${this.problems.total} versions arrived after a newer version of the same key`, {
      records: this.judged,
      keys: this.keys,
      replayed: this.replayed,
      reordered: this.problems.total,
    });
  }

  bytes(): number {
    return this.seenStream.bytes + this.keyStream.bytes + this.keyRank.bytes + this.keyOp.bytes + this.keyPosition.length * 72 + this.otherKeys.size * 120;
  }
}
