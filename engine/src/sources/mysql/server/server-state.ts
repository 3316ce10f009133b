import type { Flavor } from '../protocol/gtid.js';
import type { ServerSettings } from '../protocol/preflight-rules.js';
import type { Control } from './control.js';

/** Who the server is: what a failover changes. */
export interface ServerIdentity {
  readonly flavor: Flavor;
  readonly serverId: number;
  /** MySQL `@@server_uuid`. */
  readonly serverUuid: string | null;
  /** MariaDB `@@gtid_domain_id`. */
  readonly domainId: number | null;
}

export interface BinlogFile {
  readonly name: string;
  readonly size: number;
}

/** Everything read from the server at connect time. */
export interface ServerState {
  readonly settings: ServerSettings;
  readonly identity: ServerIdentity;
  /** GTID state of everything in the server's binlog (MariaDB gtid_binlog_pos, MySQL gtid_executed). */
  readonly executed: string;
  /** MySQL gtid_purged: transactions no longer in any binlog. */
  readonly purged: string;
  readonly binlogs: readonly BinlogFile[];
}

const VARIABLES = [
  'version', 'log_bin', 'binlog_format', 'binlog_row_image', 'server_id', 'server_uuid', 'gtid_domain_id', 'gtid_binlog_pos',
  'gtid_strict_mode', 'gtid_mode', 'gtid_executed', 'gtid_purged', 'expire_logs_days', 'binlog_expire_logs_seconds',
];

export async function readServerState(control: Control): Promise<ServerState> {
  // SHOW VARIABLES lists only the variables a server has, so one statement serves both families.
  const rows = await control.query<{ Variable_name: string; Value: string | null }>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${VARIABLES.map(() => '?').join(',')})`,
    VARIABLES,
  );
  const v = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value ?? '']));
  const version = v.get('version') ?? '';
  return {
    settings: settingsFrom(v),
    identity: identityFrom(v),
    executed: (flavorOf(version) === 'mariadb' ? v.get('gtid_binlog_pos') : v.get('gtid_executed'))?.replace(/\s+/g, '') ?? '',
    purged: (v.get('gtid_purged') ?? '').replace(/\s+/g, ''),
    binlogs: await listBinlogs(control),
  };
}

export function flavorOf(version: string): Flavor {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

export function settingsFrom(v: ReadonlyMap<string, string>): ServerSettings {
  const flavor = flavorOf(v.get('version') ?? '');
  const on = (name: string) => /^(ON|1)$/i.test(v.get(name) ?? '');
  const seconds = Number(v.get('binlog_expire_logs_seconds') ?? 0);
  const days = Number(v.get('expire_logs_days') ?? 0);
  return {
    flavor,
    version: v.get('version') ?? '',
    logBin: on('log_bin'),
    binlogFormat: v.get('binlog_format') ?? 'unknown',
    binlogRowImage: v.get('binlog_row_image') ?? 'FULL',
    gtidMode: flavor === 'mysql' ? (v.get('gtid_mode') ?? 'OFF') : null,
    gtidStrictMode: flavor === 'mariadb' ? on('gtid_strict_mode') : null,
    // MySQL 8 keeps expire_logs_days only for compatibility; seconds win when set.
    expireSeconds: seconds > 0 ? seconds : days * 86_400,
  };
}

export function identityFrom(v: ReadonlyMap<string, string>): ServerIdentity {
  const flavor = flavorOf(v.get('version') ?? '');
  return {
    flavor,
    serverId: Number(v.get('server_id') ?? 0),
    serverUuid: flavor === 'mysql' ? (v.get('server_uuid') ?? null) : null,
    domainId: flavor === 'mariadb' ? Number(v.get('gtid_domain_id') ?? 0) : null,
  };
}

/** Stable text for comparing identities: MySQL by server_uuid, MariaDB by server_id and domain. */
export function identityKey(i: ServerIdentity): string {
  return i.flavor === 'mysql' ? `mysql:${i.serverUuid}` : `mariadb:${i.serverId}:${i.domainId}`;
}

export async function listBinlogs(control: Control): Promise<BinlogFile[]> {
  const rows = await control.query<{ Log_name: string; File_size: number | string }>('SHOW BINARY LOGS');
  return rows.map((r) => ({ name: r.Log_name, size: Number(r.File_size) }));
}

/**
 * The statements that report the binlog head, newest syntax first: MySQL 8.2 added SHOW BINARY
 * LOG STATUS and 8.4 removed SHOW MASTER STATUS; MariaDB 10.5.2 added SHOW BINLOG STATUS.
 */
export function binlogStatusStatements(flavor: Flavor): string[] {
  return flavor === 'mysql' ? ['SHOW BINARY LOG STATUS', 'SHOW MASTER STATUS'] : ['SHOW BINLOG STATUS', 'SHOW MASTER STATUS'];
}

export interface BinlogHead {
  readonly file: string;
  readonly pos: number;
  /** MySQL: Executed_Gtid_Set of the status row; MariaDB: null (read gtid_binlog_pos instead). */
  readonly executedGtidSet: string | null;
}

export async function readBinlogHead(control: Control, flavor: Flavor): Promise<BinlogHead> {
  let lastError: unknown;
  for (const sql of binlogStatusStatements(flavor)) {
    try {
      const [row] = await control.query<{ File: string; Position: number | string; Executed_Gtid_Set?: string }>(sql);
      if (!row) throw new Error(`${sql} returned nothing: is log_bin on?`);
      return { file: row.File, pos: Number(row.Position), executedGtidSet: row.Executed_Gtid_Set?.replace(/\s+/g, '') ?? null };
    } catch (e) {
      // 1064 = syntax error: this server does not know the newer statement.
      if ((e as { errno?: number }).errno !== 1064) throw e;
      lastError = e;
    }
  }
  throw lastError;
}
