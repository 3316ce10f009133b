import type { Position } from '../../../event/index.js';
import { gtidOrdinal } from './gtid.js';

/** Where a snapshot row sits: which run of the snapshot, which table (in plan order), which row. */
export interface SnapshotCursor {
  readonly run: number;
  /** Index into the snapshot plan's table list; -1 before the first table. */
  readonly table: number;
  /** 0-based row within the table in this run; -1 before the first row. */
  readonly row: number;
  /** This row completes its table. */
  readonly last: boolean;
}

/**
 * A MySQL/MariaDB resume token. Public (shown in envelopes): `server_id`, `gtid`, `file`, `pos`,
 * `snapshot`. Internal: the rest.
 *
 * A stream position is either a transaction boundary (`index` -1: everything up to the state
 * `gtid_set` / the binlog offset `file:pos` is done) or a point inside a transaction
 * (`index` >= 0: `gtid_set`/`file:pos` is where the transaction starts and its first
 * `index + 1` row events are done). Either way resuming means: start the dump there, skip
 * `index + 1` events of the first transaction. That is what makes a batch cut in the middle of
 * a transaction (respect_source_tx: false) resume exactly.
 */
export interface MysqlPosition extends Position {
  readonly server_id: number;
  /** The transaction the event belongs to (null on boundaries not after a transaction). */
  readonly gtid: string | null;
  readonly file: string;
  readonly pos: number;
  readonly snapshot?: true;
  /** Bumped by every fresh snapshot so its rows sort after everything before it. */
  readonly epoch: number;
  /** GTID state to hand the server (null when the server has no GTIDs: file:pos mode). */
  readonly gtid_set: string | null;
  readonly index: number;
  readonly snap?: SnapshotCursor;
}

export interface StreamCoordinates {
  readonly server_id: number;
  readonly gtid: string | null;
  readonly file: string;
  readonly pos: number;
  readonly gtid_set: string | null;
}

/** Builders keep one property order, so V8 gives every position the same shape. */
export function streamPosition(c: StreamCoordinates, epoch: number, index: number): MysqlPosition {
  return { server_id: c.server_id, gtid: c.gtid, file: c.file, pos: c.pos, epoch, gtid_set: c.gtid_set, index };
}

export function snapshotPosition(c: StreamCoordinates, epoch: number, snap: SnapshotCursor): MysqlPosition {
  return { server_id: c.server_id, gtid: null, file: c.file, pos: c.pos, snapshot: true, epoch, gtid_set: c.gtid_set, index: -1, snap };
}

export function isSnapshotPosition(p: MysqlPosition): p is MysqlPosition & { snap: SnapshotCursor } {
  return p.snap !== undefined;
}

/**
 * Total order over the positions of one stream: epoch, then snapshot rows before stream
 * positions, then (run, table, row) for snapshot rows and (GTID ordinal or file:pos, index)
 * for stream positions. A boundary (index -1) sorts before the events of the transaction
 * that starts there and after every event of the one that ended there (whose start state has
 * a smaller ordinal).
 */
export function comparePositions(a: MysqlPosition, b: MysqlPosition): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const sa = a.snap;
  const sb = b.snap;
  if (sa !== undefined || sb !== undefined) {
    if (sa === undefined) return 1;
    if (sb === undefined) return -1;
    return Math.sign(sa.run - sb.run || sa.table - sb.table || sa.row - sb.row);
  }
  const c = compareCoordinates(a, b);
  return c !== 0 ? c : Math.sign(a.index - b.index);
}

function compareCoordinates(a: MysqlPosition, b: MysqlPosition): number {
  if (a.gtid_set !== null && b.gtid_set !== null) {
    if (a.gtid_set === b.gtid_set) return 0;
    const oa = gtidOrdinal(a.gtid_set);
    const ob = gtidOrdinal(b.gtid_set);
    return oa < ob ? -1 : oa > ob ? 1 : 0;
  }
  return compareFilePos(a.file, a.pos, b.file, b.pos);
}

/** Binlog coordinates: files of one server sort by their numeric suffix (mysql-bin.000010 > .000009). */
export function compareFilePos(fileA: string, posA: number, fileB: string, posB: number): number {
  if (fileA !== fileB) {
    const a = splitBinlogName(fileA);
    const b = splitBinlogName(fileB);
    if (a.base !== b.base) return a.base < b.base ? -1 : 1;
    if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  }
  return Math.sign(posA - posB);
}

function splitBinlogName(file: string): { base: string; seq: number } {
  const m = /^(.*?)(\d+)$/.exec(file);
  return m ? { base: m[1]!, seq: Number(m[2]) } : { base: file, seq: 0 };
}

/** Checks a stored checkpoint has the shape this source writes (a source type change would not). */
export function asMysqlPosition(p: Position, sourceId: string): MysqlPosition {
  const bad = (why: string) => new Error(`checkpoint of source ${sourceId} is not a MySQL position (${why}): ${JSON.stringify(p)}`);
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  if (!isInt(p.server_id) || typeof p.file !== 'string' || !isInt(p.pos) || !isInt(p.epoch) || !isInt(p.index)) throw bad('server_id, file, pos, epoch, index');
  if (p.gtid_set !== null && typeof p.gtid_set !== 'string') throw bad('gtid_set');
  if (p.gtid !== null && typeof p.gtid !== 'string') throw bad('gtid');
  if (p.snap !== undefined) {
    const s = p.snap as Record<string, unknown>;
    if (typeof s !== 'object' || s === null || !isInt(s.run) || !isInt(s.table) || !isInt(s.row) || typeof s.last !== 'boolean') throw bad('snap');
  }
  return p as MysqlPosition;
}

/** How to start a binlog dump so the first event delivered is the one after `p`. */
export interface ResumePlan {
  readonly gtidSet: string | null;
  readonly file: string;
  readonly pos: number;
  /** Row events of the first transaction to drop because they were already emitted. */
  readonly skip: { readonly gtid: string | null; readonly count: number } | null;
}

export function resumePlan(p: MysqlPosition): ResumePlan {
  return { gtidSet: p.gtid_set, file: p.file, pos: p.pos, skip: p.index >= 0 ? { gtid: p.gtid, count: p.index + 1 } : null };
}
