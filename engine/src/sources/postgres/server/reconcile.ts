import type { PostgresSourceConfig } from '../../../config/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { PositionKey } from '../position.js';
import type { CreatedSlot, ReplicationConnection, SystemIdentity } from '../replication-connection.js';
import type { Queryable } from './catalog.js';
import { compareIdentity, describeIdentityChange, type IdentityChange, type IdentityStore, type StoredIdentity } from './identity.js';
import { checkSlotUsable, dropSlot, readSlot, type SlotState } from './slot.js';
import { recreateSlot, slotLossReason } from './slot-loss.js';

export interface ReconcileInput {
  readonly sql: Queryable;
  readonly repl: ReplicationConnection;
  readonly config: PostgresSourceConfig;
  readonly identities: IdentityStore;
  readonly logger: Logger;
  /** The server this source last streamed from (undefined on a first start). */
  readonly known: Pick<StoredIdentity, 'systemId' | 'timeline'> | undefined;
  /** The slot generation that `dependsOn` belongs to. */
  readonly generation: number;
  /** What a checkpoint or an emitted event of this generation needs from the slot; null: nothing yet. */
  readonly dependsOn: PositionKey | null;
  /**
   * At start a lost slot nothing depends on is replaced without ceremony (the caller creates a
   * fresh one); while streaming every loss goes through on_slot_lost.
   */
  readonly replaceUnused: boolean;
  /** on_schema_drift after a server change (throws on halt). */
  readonly checkDrift: (change: IdentityChange) => void;
}

export interface Reconciled {
  readonly identity: SystemIdentity;
  readonly generation: number;
  /** The slot to go on streaming from, checked usable; undefined when there is none to keep. */
  readonly slot: SlotState | undefined;
  /** The slot created again after it was lost (on_slot_lost: recreate): a new generation. */
  readonly recreated: CreatedSlot | null;
}

/**
 * What the server we are connected to means for our position, run on every (re)connect: its
 * identity against the one we streamed from (failover, another cluster), schema drift after
 * such a change, whether our slot survived (dropped, invalidated, absent on a promoted
 * standby), and on_slot_lost when it did not. Records a changed identity.
 */
export async function reconcileServer(i: ReconcileInput): Promise<Reconciled> {
  const c = i.config;
  const identity = await i.repl.identifySystem();
  const change = compareIdentity(i.known && { ...i.known, generation: i.generation, updatedAt: 0 }, identity);
  if (change.kind === 'promoted' || change.kind === 'other-cluster') i.checkDrift(change);
  let slot = await readSlot(i.sql, c.slot);
  let generation = i.generation;
  let recreated: CreatedSlot | null = null;
  const lost = slotLossReason(c.slot, change, slot);
  if (lost && (i.dependsOn !== null || !i.replaceUnused)) {
    recreated = await recreateSlot({ sql: i.sql, repl: i.repl, config: c, reason: lost, at: i.dependsOn, slotExists: slot !== undefined, logger: i.logger, generation: generation + 1 });
    generation++;
    slot = undefined;
  } else if (lost && slot) {
    i.logger.warn({ slot: c.slot }, `${lost}; no checkpoint depends on it, so it is replaced`);
    await dropSlot(i.sql, c.slot);
    slot = undefined;
  } else if (slot) {
    checkSlotUsable(slot, identity.database, c.id);
    if (change.kind !== 'same' && change.kind !== 'first') i.logger.warn({ slot: c.slot }, `${describeIdentityChange(change)}, and slot ${c.slot} exists there: continuing from it`);
  }
  if (change.kind !== 'same') await i.identities.put(identity, generation);
  return { identity, generation, slot, recreated };
}
