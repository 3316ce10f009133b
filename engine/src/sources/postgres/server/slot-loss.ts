import type { PostgresSourceConfig } from '../../../config/index.js';
import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { Queryable } from './catalog.js';
import { describeIdentityChange, type IdentityChange } from './identity.js';
import { formatLsn } from '../lsn.js';
import type { PositionKey } from '../position.js';
import type { CreatedSlot, ReplicationConnection } from '../replication-connection.js';
import { dropSlot, type SlotState } from './slot.js';

/**
 * Why the slot can no longer continue from our position, or null when it can. Covers a slot
 * dropped, a slot invalidated by max_slot_wal_keep_size, a failover to a promoted standby
 * (Postgres 15 does not carry logical slots to standbys) and a different cluster.
 */
export function slotLossReason(slotName: string, change: IdentityChange, slot: SlotState | undefined): string | null {
  if (change.kind === 'other-cluster') return `${describeIdentityChange(change)}, whose LSNs do not continue ours`;
  if (!slot) {
    return change.kind === 'promoted'
      ? `replication slot "${slotName}" does not exist after ${describeIdentityChange(change)}; Postgres 15 does not carry logical slots to a standby`
      : `replication slot "${slotName}" no longer exists (it was dropped)`;
  }
  if (slot.walStatus === 'lost') return `replication slot "${slotName}" was invalidated (wal_status = lost): the server removed WAL it still needed after max_slot_wal_keep_size was exceeded`;
  return null;
}

export function positionLostError(sourceId: string, reason: string, lsn: string): TidemarkError {
  return new TidemarkError(
    'TIDEMARK_ERR_SOURCE_POSITION_LOST',
    `position lost: ${reason}. Changes after LSN ${lsn} cannot be read from this server any more. Re-snapshot required (or set on_slot_lost: recreate to continue from a new slot, accepting the gap).`,
    { context: { source: sourceId, lsn } },
  );
}

export interface RecreateOptions {
  readonly sql: Queryable;
  readonly repl: ReplicationConnection;
  readonly config: PostgresSourceConfig;
  readonly reason: string;
  /** The position that can no longer be resumed (null: none). */
  readonly at: PositionKey | null;
  readonly slotExists: boolean;
  readonly logger: Logger;
  /** The slot generation the new slot starts. */
  readonly generation: number;
}

/**
 * on_slot_lost: `halt` throws the fatal `position lost` error; `recreate` drops what is left of
 * the slot, creates it again and logs, at error level, the range that was not captured.
 */
export async function recreateSlot(o: RecreateOptions): Promise<CreatedSlot> {
  const c = o.config;
  const lsn = o.at ? formatLsn(o.at.end ?? o.at.lsn) : 'unknown';
  if (c.on_slot_lost === 'halt') throw positionLostError(c.id, o.reason, lsn);
  if (o.slotExists) await dropSlot(o.sql, c.slot);
  const created = await o.repl.createSlot(c.slot, { exportSnapshot: c.snapshot.mode !== 'never' });
  const at = formatLsn(created.consistentPoint);
  o.logger.error(
    { slot: c.slot, lostAfterLsn: lsn, newSlotLsn: at, generation: o.generation },
    `${o.reason}. on_slot_lost is recreate: created slot ${c.slot} again at ${at}. Changes committed after LSN ${lsn} on the old slot and before the new slot were NOT captured; ${c.snapshot.mode === 'never' ? 're-snapshot the captured tables to repair them' : 'a snapshot of every captured table runs now to repair them'}.`,
  );
  return created;
}
