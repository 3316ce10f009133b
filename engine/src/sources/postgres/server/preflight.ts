import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { Queryable, TableInfo } from './catalog.js';
import { identityWarning } from '../schema-registry.js';
import { qualifiedText } from '../table-patterns.js';

export interface PreflightOptions {
  readonly sourceId: string;
  /** Redacted DSN, for messages. */
  readonly display: string;
  readonly patterns: readonly string[];
  readonly tables: readonly TableInfo[];
  readonly needSelect: boolean;
  readonly logger: Logger;
}

/**
 * Checks what would otherwise fail later with a less helpful message: logical decoding on,
 * the REPLICATION privilege, tables to capture, SELECT for snapshots. Warns about before
 * images the replica identity will not give.
 */
export async function preflight(db: Queryable, o: PreflightOptions): Promise<void> {
  const context = { source: o.sourceId };
  const { rows } = await db.query<{ wal_level: string; slots: string; senders: string; user: string; rolreplication: boolean; rolsuper: boolean }>(
    `SELECT current_setting('wal_level') AS wal_level, current_setting('max_replication_slots') AS slots, current_setting('max_wal_senders') AS senders,
            current_user AS user, r.rolreplication, r.rolsuper
       FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`,
  );
  const s = rows[0]!;
  if (s.wal_level !== 'logical') {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `source ${o.sourceId} (${o.display}): wal_level is ${s.wal_level}; set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart the server`, { context });
  }
  if (Number(s.slots) === 0 || Number(s.senders) === 0) {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `source ${o.sourceId} (${o.display}): max_replication_slots=${s.slots}, max_wal_senders=${s.senders}; both must be at least 1 per pipeline (restart needed)`, { context });
  }
  if (!s.rolreplication && !s.rolsuper) {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_AUTH', `source ${o.sourceId} (${o.display}): user ${s.user} lacks the REPLICATION privilege; run ALTER ROLE ${s.user} REPLICATION`, { context });
  }
  if (o.tables.length === 0) {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_TABLE_MISSING', `source ${o.sourceId} (${o.display}): no table matches ${JSON.stringify(o.patterns)}; check the schema and table names (a bare name means public.<name>)`, { context });
  }
  if (o.needSelect) {
    const denied = o.tables.filter((t) => !t.canSelect).map(qualifiedText);
    if (denied.length > 0) {
      throw new TidemarkError('TIDEMARK_ERR_SOURCE_AUTH', `source ${o.sourceId}: user ${s.user} cannot SELECT ${denied.join(', ')}, which the snapshot must read; GRANT SELECT ON them`, { context });
    }
  }
  for (const t of o.tables) {
    const warning = identityWarning(t, t.replicaIdentity);
    if (warning) o.logger.warn({ table: qualifiedText(t), replicaIdentity: t.replicaIdentity }, warning);
    if (t.primaryKey.length === 0) o.logger.warn({ table: qualifiedText(t) }, `${qualifiedText(t)} has no primary key: events carry no key, so sinks cannot partition or deduplicate them by key`);
  }
}
