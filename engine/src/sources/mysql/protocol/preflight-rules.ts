import type { Flavor } from './gtid.js';

/** The server settings the source depends on, as read at every connect. */
export interface ServerSettings {
  readonly flavor: Flavor;
  readonly version: string;
  readonly logBin: boolean;
  readonly binlogFormat: string;
  readonly binlogRowImage: string;
  /** MySQL `@@gtid_mode`; null on MariaDB (GTIDs are always on there). */
  readonly gtidMode: string | null;
  /** MariaDB `@@gtid_strict_mode`; null on MySQL. */
  readonly gtidStrictMode: boolean | null;
  /** Binlog retention in seconds; 0 = kept until purged by hand. */
  readonly expireSeconds: number;
}

export interface PreflightVerdict {
  /** Settings that make CDC impossible: the source fails with TIDEMARK_ERR_SOURCE_MISCONFIGURED. */
  readonly errors: string[];
  readonly warnings: string[];
}

export function evaluatePreflight(s: ServerSettings): PreflightVerdict {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!s.logBin) errors.push('log_bin is OFF: start the server with --log-bin (binary logging cannot be enabled at runtime)');
  if (s.binlogFormat.toUpperCase() !== 'ROW') {
    errors.push(`binlog_format is ${s.binlogFormat}, CDC needs ROW: set binlog_format=ROW in the server configuration (SET GLOBAL only affects new sessions)`);
  }
  if (s.binlogRowImage.toUpperCase() !== 'FULL') {
    warnings.push(`binlog_row_image is ${s.binlogRowImage}, not FULL: before images of updates and deletes (and unchanged columns of updates) will be incomplete`);
  }
  if (s.flavor === 'mysql' && s.gtidMode?.toUpperCase() !== 'ON') {
    warnings.push(`gtid_mode is ${s.gtidMode ?? 'unknown'}: positions fall back to binlog file:pos, which do not survive a failover to another server`);
  }
  if (s.flavor === 'mariadb' && s.gtidStrictMode === false) {
    warnings.push('gtid_strict_mode is OFF: positions are ordered by GTID sequence number, which only strict mode guarantees to grow');
  }
  return { errors, warnings };
}

/** Whether a GTID state can be used as a position on this server. */
export function usesGtids(s: ServerSettings): boolean {
  return s.flavor === 'mariadb' || s.gtidMode?.toUpperCase() === 'ON';
}
