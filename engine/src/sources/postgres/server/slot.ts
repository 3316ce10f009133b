/** Replication slot and publication management over a regular SQL connection. */
import type { Logger } from '../../../logging/logger.js';
import { TidemarkError } from '../../../errors/index.js';
import type { Queryable, TableInfo } from './catalog.js';
import { formatLsn, parseLsn, type Lsn } from '../lsn.js';
import { qualifiedText, quoteIdent, quoteQualified } from '../table-patterns.js';

export interface SlotState {
  readonly name: string;
  readonly plugin: string | null;
  readonly database: string | null;
  readonly active: boolean;
  readonly activePid: number | null;
  readonly confirmedFlush: Lsn | null;
  readonly restartLsn: Lsn | null;
  /** reserved | extended | unreserved | lost (max_slot_wal_keep_size exceeded). */
  readonly walStatus: string | null;
}

export async function readSlot(db: Queryable, name: string): Promise<SlotState | undefined> {
  const { rows } = await db.query<{
    slot_name: string;
    plugin: string | null;
    database: string | null;
    active: boolean;
    active_pid: number | null;
    confirmed_flush_lsn: string | null;
    restart_lsn: string | null;
    wal_status: string | null;
  }>(
    'SELECT slot_name, plugin, database, active, active_pid, confirmed_flush_lsn::text, restart_lsn::text, wal_status FROM pg_catalog.pg_replication_slots WHERE slot_name = $1',
    [name],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    name: r.slot_name,
    plugin: r.plugin,
    database: r.database,
    active: r.active,
    activePid: r.active_pid,
    confirmedFlush: r.confirmed_flush_lsn ? parseLsn(r.confirmed_flush_lsn) : null,
    restartLsn: r.restart_lsn ? parseLsn(r.restart_lsn) : null,
    walStatus: r.wal_status,
  };
}

/** The slot exists but cannot serve this source (wrong plugin or database). */
export function checkSlotUsable(slot: SlotState, database: string, sourceId: string): void {
  if (slot.plugin !== 'pgoutput') {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `source ${sourceId}: replication slot "${slot.name}" uses plugin ${slot.plugin ?? '(physical slot)'}, not pgoutput; use another slot name or drop it`, {
      context: { source: sourceId, slot: slot.name },
    });
  }
  if (slot.database !== database) {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `source ${sourceId}: replication slot "${slot.name}" belongs to database ${slot.database}, the dsn names ${database}`, {
      context: { source: sourceId, slot: slot.name },
    });
  }
}

/**
 * Creates the publication (FOR TABLE the captured tables) when it is missing, or adds missing
 * tables to it, if allowed; otherwise says what is missing.
 */
export async function ensurePublication(db: Queryable, o: { name: string; tables: readonly TableInfo[]; create: boolean; sourceId: string; logger: Logger }): Promise<void> {
  const { rows } = await db.query<{ puballtables: boolean }>('SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = $1', [o.name]);
  const list = o.tables.map(quoteQualified).join(', ');
  if (rows.length === 0) {
    if (!o.create) {
      throw new TidemarkError('TIDEMARK_ERR_POSTGRES_PUBLICATION_MISSING', `source ${o.sourceId}: publication "${o.name}" does not exist and create_publication is false; run CREATE PUBLICATION ${quoteIdent(o.name)} FOR TABLE ${list}`, {
        context: { source: o.sourceId, publication: o.name },
      });
    }
    await db.query(`CREATE PUBLICATION ${quoteIdent(o.name)} FOR TABLE ${list}`);
    o.logger.info({ publication: o.name, tables: o.tables.map(qualifiedText) }, `created publication ${o.name}`);
    return;
  }
  if (rows[0]!.puballtables) return;
  const published = await db.query<{ name: string }>("SELECT schemaname || '.' || tablename AS name FROM pg_catalog.pg_publication_tables WHERE pubname = $1", [o.name]);
  const have = new Set(published.rows.map((r) => r.name));
  const missing = o.tables.filter((t) => !have.has(qualifiedText(t)));
  if (missing.length === 0) return;
  const names = missing.map(qualifiedText);
  if (o.create) {
    await db.query(`ALTER PUBLICATION ${quoteIdent(o.name)} ADD TABLE ${missing.map(quoteQualified).join(', ')}`);
    o.logger.info({ publication: o.name, tables: names }, `added tables to publication ${o.name}`);
  } else {
    o.logger.warn({ publication: o.name, tables: names }, `publication ${o.name} does not include ${names.join(', ')}: their changes are not captured; ALTER PUBLICATION ${quoteIdent(o.name)} ADD TABLE ...`);
  }
}

/** Moves a slot that nobody streams from to `lsn` (start_position: latest). */
export async function advanceSlot(db: Queryable, name: string, lsn: Lsn): Promise<void> {
  await db.query('SELECT pg_catalog.pg_replication_slot_advance($1, $2::pg_lsn)', [name, formatLsn(lsn)]);
}

export async function currentWalLsn(db: Queryable): Promise<Lsn> {
  const { rows } = await db.query<{ lsn: string }>('SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn');
  return parseLsn(rows[0]!.lsn);
}

export async function dropSlot(db: Queryable, name: string): Promise<void> {
  await db.query('SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = $1', [name]);
}

/** Where a pipeline without a checkpoint starts on an existing slot, per start_position. */
export async function initialStreamLsn(db: Queryable, slot: SlotState, start: 'earliest' | 'latest' | string | { lsn: string }, logger: Logger): Promise<Lsn> {
  const confirmed = slot.confirmedFlush ?? 0n;
  if (start === 'earliest') return confirmed;
  if (start === 'latest') {
    const now = await currentWalLsn(db);
    if (!slot.active && now > confirmed) await advanceSlot(db, slot.name, now);
    logger.info({ slot: slot.name, lsn: formatLsn(now) }, 'start_position latest: skipping what the slot still held');
    return now > confirmed ? now : confirmed;
  }
  const lsn = parseLsn(typeof start === 'string' ? start : start.lsn);
  if (lsn < confirmed) logger.warn({ requested: formatLsn(lsn), confirmed: formatLsn(confirmed) }, 'start_position is before what the slot already confirmed; the server starts at its confirmed position');
  return lsn > confirmed ? lsn : confirmed;
}
