import { compareFilePos } from '../protocol/position.js';
import { parseGtidState, type Flavor, type GtidState } from '../protocol/gtid.js';

/** Where a table's snapshot was taken: its rows already reflect every transaction up to here. */
export interface HandoffPoint {
  readonly gtidSet: string | null;
  readonly file: string;
  readonly pos: number;
}

interface ParsedPoint {
  readonly state: GtidState | null;
  readonly file: string;
  readonly pos: number;
}

/**
 * Drops, per table, the streamed transactions its snapshot already contains. Streaming starts
 * at the earliest table's snapshot point; a table snapshotted later ignores the transactions up
 * to its own point, so every change reaches the sink exactly once across `r` rows and the
 * stream. Turns itself off for good once a transaction lies beyond every point.
 */
export class HandoffFilter {
  private readonly points = new Map<string, ParsedPoint>();
  private readonly latest: ParsedPoint;
  private on = true;
  private covered = new Map<string, boolean>();
  private tx: { gtid: string | null; file: string; pos: number } | null = null;

  constructor(points: ReadonlyMap<string, HandoffPoint>, flavor: Flavor) {
    let latest: ParsedPoint | null = null;
    let latestOrdinal = -1n;
    for (const [table, p] of points) {
      const parsed: ParsedPoint = { state: p.gtidSet === null ? null : parseGtidState(p.gtidSet, flavor), file: p.file, pos: p.pos };
      this.points.set(table, parsed);
      const later = parsed.state ? parsed.state.ordinal() > latestOrdinal : latest === null || compareFilePos(p.file, p.pos, latest.file, latest.pos) > 0;
      if (latest === null || later) {
        latest = parsed;
        latestOrdinal = parsed.state?.ordinal() ?? -1n;
      }
    }
    this.latest = latest ?? { state: null, file: '', pos: 0 };
    if (latest === null) this.on = false;
  }

  get active(): boolean {
    return this.on;
  }

  /** A transaction starts at `file:pos`; `gtid` null in file:pos mode. */
  beginTx(gtid: string | null, file: string, pos: number): void {
    if (!this.on) return;
    this.tx = { gtid, file, pos };
    this.covered = new Map();
    if (!this.contains(this.latest, this.tx)) this.on = false;
  }

  /** Whether the current transaction's changes to `table` (`db.table`) are new to that table's snapshot. */
  admits(table: string): boolean {
    if (!this.on || this.tx === null) return true;
    let hit = this.covered.get(table);
    if (hit === undefined) {
      const point = this.points.get(table);
      hit = point !== undefined && this.contains(point, this.tx);
      this.covered.set(table, hit);
    }
    return !hit;
  }

  private contains(point: ParsedPoint, tx: { gtid: string | null; file: string; pos: number }): boolean {
    if (point.state && tx.gtid !== null) return point.state.covers(tx.gtid);
    // A transaction starting before the point ended at or before it: points are boundaries.
    return compareFilePos(tx.file, tx.pos, point.file, point.pos) < 0;
  }
}
