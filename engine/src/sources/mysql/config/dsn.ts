import { redactString } from '../../../config/redact.js';
import { TidemarkError } from '../../../errors/index.js';

/** Where and as whom to connect, parsed from `mysql://user:pass@host:port/db`. */
export interface MysqlDsn {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Default schema of control connections; empty when the DSN names none. */
  readonly database: string;
}

const DEFAULT_PORT = 3306;

/**
 * Parses a MySQL DSN. Query parameters are rejected rather than ignored: a user asking for
 * `?ssl-mode=REQUIRED` must not silently get a plaintext connection.
 */
export function parseDsn(dsn: string, sourceId: string): MysqlDsn {
  const fail = (why: string) =>
    new TidemarkError('TIDEMARK_ERR_MYSQL_DSN', `source ${sourceId}: dsn ${redactString(dsn)} ${why}; expected mysql://user:password@host:port/database`, { context: { source: sourceId } });
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw fail('is not a URL');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') throw fail(`has scheme ${url.protocol.replace(/:$/, '')}`);
  if (!url.hostname) throw fail('names no host');
  if (!url.username) throw fail('names no user');
  if (url.search) throw fail(`has query parameters (${url.search.slice(1).replace(/=[^&]*/g, '=…')}), which are not supported`);
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) throw fail('has more than one path segment');
  // WHATWG URL keeps IPv6 hosts in brackets; mysql2 wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database };
}

/** `user@host:port` for log lines and error messages (never the password). */
export function describeDsn(dsn: MysqlDsn): string {
  return `${dsn.user}@${dsn.host}:${dsn.port}`;
}
