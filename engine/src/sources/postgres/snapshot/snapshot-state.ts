import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import { parseLsn, type Lsn } from '../lsn.js';
import { compareKeys, positionKey, type PgPosition, type PositionKey } from '../position.js';

/** Progress of one table in the current snapshot. */
export interface TableProgress {
  /** LSN the table was read at: stream changes committed before it are already in the rows. */
  readonly lsn: string;
  /** Position of the last row emitted (null: the table was empty). */
  readonly last: PgPosition | null;
  /** Every row was emitted (durable only once a checkpoint reaches `last`). */
  readonly done: boolean;
}

/** KV record (key `snapshot`) of the latest snapshot. */
export interface SnapshotRecord {
  readonly epoch: number;
  /** The stream position the snapshot rows hang off; streaming resumes after it. */
  readonly anchor: PgPosition;
  readonly tables: Readonly<Record<string, TableProgress>>;
}

export type SnapshotMode = 'never' | 'initial' | 'always';

export type SnapshotDecision =
  | { readonly run: false }
  | {
      readonly run: true;
      readonly epoch: number;
      readonly anchor: PgPosition;
      /** Tables to read now (qualified names). */
      readonly read: readonly string[];
      /** Tables whose rows from an interrupted snapshot are all durable: kept as they are. */
      readonly keep: Readonly<Record<string, TableProgress>>;
      readonly resumed: boolean;
    };

/**
 * Whether to snapshot at start, and what. `resume` is the checkpoint the source resumes from
 * (null on a first start or after the slot was recreated); `startAfter` the stream position
 * streaming would otherwise start after.
 * - An interrupted snapshot (a table whose last row is not covered by `resume`) is resumed at
 *   table granularity unless the mode is now `never`: finished tables are kept.
 * - `initial` snapshots when there is no checkpoint; `always` on every start.
 */
export function decideSnapshot(mode: SnapshotMode, record: SnapshotRecord | undefined, resume: PositionKey | null, startAfter: PgPosition, tables: readonly string[]): SnapshotDecision {
  if (mode === 'never') return { run: false };
  if (record && resume) {
    const durable = (p: TableProgress) => p.done && (p.last === null || compareKeys(positionKey(p.last), resume) <= 0);
    const keep: Record<string, TableProgress> = {};
    for (const [name, progress] of Object.entries(record.tables)) if (durable(progress)) keep[name] = progress;
    const pending = tables.filter((t) => !keep[t]);
    const interrupted = Object.entries(record.tables).some(([, p]) => !durable(p));
    if (interrupted && pending.length > 0 && compareKeys(positionKey(record.anchor), resume) <= 0) {
      return { run: true, epoch: record.epoch + 1, anchor: record.anchor, read: pending, keep, resumed: true };
    }
  }
  if (mode === 'initial' && resume) return { run: false };
  return { run: true, epoch: (record?.epoch ?? 0) + 1, anchor: streamPart(startAfter), read: [...tables], keep: {}, resumed: false };
}

/** Drops snapshot fields: the stream position a row position hangs off. */
export function streamPart(p: PgPosition): PgPosition {
  const { lsn, xid, i, end, g } = p;
  return { lsn, xid, i, ...(end ? { end } : {}), ...(g ? { g } : {}) };
}

/** Per table, the LSN below which its stream changes are already in its snapshot rows. */
export function snapshotFilter(record: SnapshotRecord | undefined): Map<string, Lsn> {
  const filter = new Map<string, Lsn>();
  if (record) for (const [name, p] of Object.entries(record.tables)) filter.set(name, parseLsn(p.lsn));
  return filter;
}

export class SnapshotStore {
  constructor(private readonly kv: KeyValueStore, private readonly namespace: string) {}

  get(): Promise<SnapshotRecord | undefined> {
    return this.kv.get<SnapshotRecord>(this.namespace, 'snapshot');
  }

  put(record: SnapshotRecord): Promise<void> {
    return this.kv.put(this.namespace, 'snapshot', record);
  }
}
