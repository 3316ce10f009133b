import type { Lsn } from './lsn.js';
import { anchorPosition, startLsnOf, type PgPosition, type PositionKey } from './position.js';
import { decideSnapshot, type SnapshotDecision, type SnapshotMode, type SnapshotRecord } from './snapshot/snapshot-state.js';

/** Where streaming (re)starts: the LSN to ask for, and what of it was already emitted. */
export interface Cursor {
  readonly startLsn: Lsn;
  readonly skip: PositionKey | null;
}

export interface GenerationInput {
  readonly mode: SnapshotMode;
  readonly record: SnapshotRecord | undefined;
  /** Captured tables (qualified names), for a fresh snapshot. */
  readonly tables: readonly string[];
  readonly generation: number;
  /**
   * The checkpoint to resume after (when it belongs to this slot generation and the slot was not
   * just created), else the LSN to begin at: a new slot's consistent point, or start_position
   * on an existing slot.
   */
  readonly from: { readonly resume: PositionKey; readonly position: PgPosition } | { readonly lsn: Lsn };
}

export interface GenerationPlan {
  /** Where streaming starts while nothing of this generation was emitted yet. */
  readonly anchor: Cursor;
  /** The position streaming starts after. */
  readonly streamFrom: PgPosition;
  readonly snapshot: SnapshotDecision;
}

/**
 * How a slot generation starts, in the MySQL source's start-plan manner: resume right after the
 * checkpoint, or at the slot's starting LSN with nothing to skip; and whether to snapshot first
 * (snapshot-state.ts decides: an interrupted snapshot continues, `initial` without a
 * checkpoint, `always` every time).
 */
export function planGeneration(i: GenerationInput): GenerationPlan {
  const from = i.from;
  if ('resume' in from) {
    const anchor = { startLsn: startLsnOf(from.resume), skip: from.resume };
    return { anchor, streamFrom: from.position, snapshot: decideSnapshot(i.mode, i.record, from.resume, from.position, i.tables) };
  }
  const streamFrom = anchorPosition(from.lsn, i.generation);
  return { anchor: { startLsn: from.lsn, skip: null }, streamFrom, snapshot: decideSnapshot(i.mode, i.record, null, streamFrom, i.tables) };
}
