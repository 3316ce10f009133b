/**
 * Builders for checker tests: a tiny model "database" that records a SourceHistory the way the
 * workload does (per-key versions, images carrying writer and version), and a correct delivery
 * of it to a sink, which tests then corrupt.
 */
import { canonicalKey, type Outcome, type RowImage, type RowVersion, type SinkHistory, type SinkKind, type SinkRecord, type SourceHistory, type SourceTxn } from '../../../chaos/src/history/index.js';
import type { RunFacts } from '../../../chaos/src/checkers/index.js';

export const TABLES = ['accounts', 'orders'] as const;
const PRIMARY_KEYS = { accounts: ['id'], orders: ['id'] };

export interface TxnWriter {
  insert(table: string, id: number, cols?: RowImage): void;
  update(table: string, id: number, cols?: RowImage): void;
  delete(table: string, id: number): void;
  /** Whether the row exists as this transaction sees it. */
  has(table: string, id: number): boolean;
}

export class World {
  private readonly txns: SourceTxn[] = [];
  private readonly rows = new Map<string, RowImage>();
  private readonly lastVersion = new Map<string, number>();
  /** Transactions that took effect: ok ones and the info ones that happened. */
  readonly happened: SourceTxn[] = [];
  private clock = 1_700_000_000_000;

  constructor(readonly source: 'mysql' | 'postgres' = 'mysql') {}

  /** Runs `body` as one transaction. An info transaction took effect unless `happened: false`. */
  txn(outcome: Outcome, body: (t: TxnWriter) => void, opts: { happened?: boolean; writer?: number; resolution?: SourceTxn['resolution'] } = {}): SourceTxn {
    const writer = opts.writer ?? 1;
    const takesEffect = outcome === 'ok' || (outcome === 'info' && opts.happened !== false);
    const versions: RowVersion[] = [];
    const staged = new Map(this.rows);
    const nextVersion = (k: string) => (this.lastVersion.get(k) ?? 0) + 1;
    const w: TxnWriter = {
      insert: (table, id, cols = {}) => {
        const k = `${table}|${id}`;
        if (staged.has(k)) throw new Error(`row ${k} exists`);
        const version = nextVersion(k);
        this.lastVersion.set(k, version);
        const after = { id, writer, version, note: `v${version}`, amount: `${version}.50`, ...cols };
        staged.set(k, after);
        versions.push({ table, key: this.key(id), version, op: 'c', writer, before: null, after });
      },
      update: (table, id, cols = {}) => {
        const k = `${table}|${id}`;
        const before = staged.get(k);
        if (!before) throw new Error(`row ${k} missing`);
        const version = nextVersion(k);
        this.lastVersion.set(k, version);
        const after = { ...before, writer, version, note: `v${version}`, amount: `${version}.50`, ...cols };
        staged.set(k, after);
        versions.push({ table, key: this.key(id), version, op: 'u', writer, before, after });
      },
      delete: (table, id) => {
        const k = `${table}|${id}`;
        const before = staged.get(k);
        if (!before) throw new Error(`row ${k} missing`);
        staged.delete(k);
        versions.push({ table, key: this.key(id), version: before.version as number, op: 'd', writer, before, after: null });
      },
      has: (table, id) => staged.has(`${table}|${id}`),
    };
    body(w);
    const invokedAt = (this.clock += 10);
    const txn: SourceTxn = { id: this.txns.length + 1, writer, versions, outcome, invokedAt, completedAt: (this.clock += 5), ...(outcome === 'ok' ? {} : { error: outcome === 'fail' ? 'rolled back' : 'connection lost during COMMIT' }), ...(opts.resolution ? { resolution: opts.resolution } : {}) };
    this.txns.push(txn);
    if (takesEffect) {
      for (const [k, v] of staged) this.rows.set(k, v);
      for (const k of [...this.rows.keys()]) if (!staged.has(k)) this.rows.delete(k);
      this.happened.push(txn);
    }
    return txn;
  }

  exists(table: string, id: number): boolean {
    return this.rows.has(`${table}|${id}`);
  }

  history(): SourceHistory {
    return { source: this.source, txns: [...this.txns], primaryKeys: PRIMARY_KEYS };
  }

  private key(id: number): string {
    return canonicalKey(['id'], { id });
  }
}

export interface SinkShape {
  readonly sink?: string;
  readonly kind?: SinkKind;
  readonly exactlyOnce?: boolean;
  readonly isolation?: 'read_committed' | 'read_uncommitted';
}

/** Records for `txns` delivered whole and in order; `sinkTxn` numbers each source transaction. */
export function recordsOf(txns: readonly SourceTxn[], shape: SinkShape = {}, firstSinkTxn = 0): SinkRecord[] {
  const seqByStream = new Map<string, number>();
  return txns.flatMap((txn, t) =>
    txn.versions.map((v, index) => {
      const seq = seqByStream.get(v.table) ?? 0;
      seqByStream.set(v.table, seq + 1);
      return recordOf(txn, v, index, seq, shape.kind === 'kafka' && shape.exactlyOnce ? firstSinkTxn + t : null);
    }),
  );
}

export function recordOf(txn: SourceTxn, v: RowVersion, index: number, seq: number, sinkTxn: number | null): SinkRecord {
  return {
    seq,
    stream: v.table,
    table: v.table,
    key: v.key,
    op: v.op,
    version: v.version,
    writer: v.writer,
    before: v.before,
    after: v.after,
    idempotencyKey: `acme|shop.${v.table}|${txn.id}|${index}`,
    txId: String(txn.id),
    txIndex: index,
    txEnd: index === txn.versions.length - 1,
    position: `${v.table}@${seq}`,
    sinkTxn,
  };
}

/** Renumbers seq and position per stream in array order (after tests move records around). */
export function resequence(records: readonly SinkRecord[]): SinkRecord[] {
  const seqByStream = new Map<string, number>();
  return records.map((r) => {
    const seq = seqByStream.get(r.stream) ?? 0;
    seqByStream.set(r.stream, seq + 1);
    return { ...r, seq, position: `${r.stream}@${seq}` };
  });
}

export function sinkHistory(records: readonly SinkRecord[], shape: SinkShape = {}): SinkHistory {
  return {
    sink: shape.sink ?? shape.kind ?? 'redis',
    kind: shape.kind ?? 'redis',
    exactlyOnce: shape.exactlyOnce ?? false,
    ...(shape.isolation ? { isolation: shape.isolation } : {}),
    records,
  };
}

/** Facts of a run where every sink caught up 2 s after the last write and the engine is healthy. */
export function healthyFacts(sinks: readonly string[], extra: Partial<RunFacts> = {}): RunFacts {
  const end = 1_800_000_000_000;
  return {
    workloadStartedAt: end - 60_000,
    workloadEndedAt: end,
    catchUpFrom: end,
    deadlineMs: 30_000,
    checkedAt: end + 5_000,
    engine: { health: 200, pipelines: [{ name: 'chaos', status: 'running' }] },
    sinks: Object.fromEntries(sinks.map((s) => [s, { caughtUpAt: end + 2_000, lagMs: 150 }])),
    ...extra,
  };
}
