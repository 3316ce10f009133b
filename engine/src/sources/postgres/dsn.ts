import { TidemarkError } from '../../errors/index.js';

/** Connection settings taken from a DSN, in the shape `pg.Client` accepts. */
export interface PgConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  readonly ssl?: false | { readonly rejectUnauthorized: boolean };
  readonly application_name?: string;
  readonly connectionTimeoutMillis?: number;
}

export interface ParsedDsn {
  readonly settings: PgConnectionSettings;
  /** `postgres://user@host:port/db`: safe to log (no password). */
  readonly display: string;
}

const KNOWN_KEYS = new Set(['host', 'hostaddr', 'port', 'user', 'password', 'dbname', 'sslmode', 'application_name', 'connect_timeout']);

/**
 * Parses `postgres://user:pass@host:port/db?sslmode=require` or the libpq key=value form
 * `host=... port=... user=... password=... dbname=...` (values may be single-quoted, with `\'`
 * and `\\` escapes). Errors never contain the password.
 */
export function parseDsn(dsn: string, sourceId: string): ParsedDsn {
  const fields = /^postgres(ql)?:\/\//i.test(dsn.trim()) ? urlFields(dsn.trim(), sourceId) : keywordFields(dsn, sourceId);
  for (const key of Object.keys(fields)) {
    if (!KNOWN_KEYS.has(key)) throw invalid(sourceId, `unknown parameter "${key}" (supported: ${[...KNOWN_KEYS].join(', ')})`);
  }
  const port = fields.port === undefined ? 5432 : Number(fields.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw invalid(sourceId, `port must be 1-65535, got "${fields.port}"`);
  const user = fields.user ?? process.env.PGUSER ?? 'postgres';
  const settings: PgConnectionSettings = {
    host: fields.hostaddr ?? fields.host ?? 'localhost',
    port,
    user,
    database: fields.dbname ?? user,
    ...(fields.password !== undefined ? { password: fields.password } : {}),
    ...sslOf(fields.sslmode, sourceId),
    ...(fields.application_name ? { application_name: fields.application_name } : {}),
    ...(fields.connect_timeout ? { connectionTimeoutMillis: Number(fields.connect_timeout) * 1000 } : {}),
  };
  return { settings, display: `postgres://${encodeURIComponent(settings.user)}@${settings.host}:${settings.port}/${encodeURIComponent(settings.database)}` };
}

function urlFields(dsn: string, sourceId: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw invalid(sourceId, 'not a valid postgres:// URL');
  }
  const out: Record<string, string> = {};
  if (url.hostname) out.host = decodeURIComponent(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.port) out.port = url.port;
  if (url.username) out.user = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  const db = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (db) out.dbname = db;
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

function keywordFields(dsn: string, sourceId: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const s = dsn;
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  skipSpace();
  while (i < s.length) {
    const keyStart = i;
    while (i < s.length && /[A-Za-z_]/.test(s[i]!)) i++;
    const key = s.slice(keyStart, i);
    skipSpace();
    if (!key || s[i] !== '=') throw invalid(sourceId, `expected key=value at character ${keyStart + 1}`);
    i++;
    skipSpace();
    let value = '';
    if (s[i] === "'") {
      i++;
      while (i < s.length && s[i] !== "'") {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i++];
      }
      if (s[i] !== "'") throw invalid(sourceId, `unterminated quoted value for "${key}"`);
      i++;
    } else {
      while (i < s.length && !/\s/.test(s[i]!)) {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i++];
      }
    }
    out[key] = value;
    skipSpace();
  }
  if (Object.keys(out).length === 0) throw invalid(sourceId, 'empty DSN');
  return out;
}

function sslOf(mode: string | undefined, sourceId: string): Pick<PgConnectionSettings, 'ssl'> {
  switch (mode) {
    case undefined:
    case 'disable':
    case 'allow':
    case 'prefer':
      // node-postgres has no opportunistic TLS: allow/prefer connect in plain text.
      return {};
    case 'require':
      return { ssl: { rejectUnauthorized: false } };
    case 'verify-ca':
    case 'verify-full':
      return { ssl: { rejectUnauthorized: true } };
    default:
      throw invalid(sourceId, `sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got "${mode}"`);
  }
}

function invalid(sourceId: string, reason: string): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `source ${sourceId}: bad dsn: ${reason}`, { context: { source: sourceId, field: 'dsn' } });
}
