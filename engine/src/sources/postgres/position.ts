import type { Position } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { formatLsn, isLsnText, parseLsn, type Lsn } from './lsn.js';

/**
 * A Postgres resume token. Public fields (shown in envelopes): `lsn`, `xid`, `schema`,
 * `snapshot`. The rest is internal.
 *
 * Order: (g, lsn, i, se, sn).
 * - Streamed changes: `lsn` is the commit LSN of their transaction and `i` their index in it,
 *   so a resume replays a transaction and skips its first `i + 1` changes. `end` (the commit's
 *   end LSN) is present once the whole transaction is covered: the server can then skip it.
 * - Non-transactional logical messages: `lsn` is the message's own LSN, `i` = 0.
 * - An anchor (where streaming starts after, nothing covered yet at `lsn`): `i` = -1.
 * - Snapshot rows hang off the stream position the snapshot started from (its `lsn`/`i`/`end`)
 *   with a snapshot epoch `se` >= 1 and a row sequence `sn` >= 1: they sort after that
 *   position and before anything streamed after it.
 * - `g` counts slot generations: a slot recreated after a failover starts a new, larger `g`,
 *   because its LSNs may be lower than the lost slot's.
 */
export interface PgPosition extends Position {
  readonly lsn: string;
  readonly xid: number | null;
  readonly schema?: string;
  readonly snapshot?: true;
  readonly i: number;
  readonly end?: string;
  readonly g?: number;
  readonly se?: number;
  readonly sn?: number;
}

/** The order key of a position, parsed once. */
export interface PositionKey {
  readonly g: number;
  readonly lsn: Lsn;
  readonly i: number;
  readonly se: number;
  readonly sn: number;
  /** Commit end LSN when the transaction at `lsn` is fully covered. */
  readonly end: Lsn | null;
}

export function positionKey(p: Position): PositionKey {
  const pos = asPgPosition(p);
  return { g: pos.g ?? 0, lsn: parseLsn(pos.lsn), i: pos.i, se: pos.se ?? 0, sn: pos.sn ?? 0, end: pos.end ? parseLsn(pos.end) : null };
}

export function compareKeys(a: PositionKey, b: PositionKey): number {
  if (a.g !== b.g) return a.g - b.g;
  if (a.lsn !== b.lsn) return a.lsn < b.lsn ? -1 : 1;
  if (a.i !== b.i) return a.i - b.i;
  if (a.se !== b.se) return a.se - b.se;
  return a.sn - b.sn;
}

export function comparePgPositions(a: Position, b: Position): number {
  return compareKeys(positionKey(a), positionKey(b));
}

/**
 * What a checkpoint at `key` lets the slot forget (the standby status flush LSN): the commit's
 * end when the transaction is covered, otherwise the commit LSN itself, which keeps that
 * transaction (commit LSN >= start) in the stream for the replay.
 */
export function flushLsnOf(key: PositionKey): Lsn {
  return key.end ?? key.lsn;
}

/** Where to START_REPLICATION to resume after `key`: the same LSN the slot may forget up to. */
export const startLsnOf = flushLsnOf;

/** True when a streamed change (commit LSN, index) is covered by `key` and must not be emitted again. */
export function isCovered(key: PositionKey, commitLsn: Lsn, index: number): boolean {
  if (commitLsn !== key.lsn) return commitLsn < key.lsn;
  return index <= key.i;
}

/** The position streaming starts after when nothing at `lsn` has been seen yet. */
export function anchorPosition(lsn: Lsn, g: number): PgPosition {
  return withGeneration({ lsn: formatLsn(lsn), xid: null, i: -1 }, g);
}

export function withGeneration<T extends PgPosition>(p: T, g: number): T {
  return g > 0 ? { ...p, g } : p;
}

/** Validates a stored position (it came back through JSON) before trusting it. */
export function asPgPosition(p: Position): PgPosition {
  const r = p as Record<string, unknown>;
  const ok =
    isLsnText(r.lsn) &&
    typeof r.i === 'number' &&
    (r.end === undefined || isLsnText(r.end)) &&
    (r.g === undefined || typeof r.g === 'number') &&
    (r.se === undefined || typeof r.se === 'number') &&
    (r.sn === undefined || typeof r.sn === 'number');
  if (!ok) {
    throw new TidemarkError('TIDEMARK_ERR_POSTGRES_BAD_POSITION', `not a Postgres source position: ${JSON.stringify(p)}; was the checkpoint written by another source type?`, {
      context: { position: JSON.stringify(p) },
    });
  }
  return p as PgPosition;
}
