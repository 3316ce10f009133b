import { errorMessage, isTidemarkError, TidemarkError, type ErrorContext } from '../../errors/index.js';

/** A pg DatabaseError or a socket error, as far as classification needs it. */
interface PgLikeError {
  readonly code?: string;
  readonly message?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Classifies an error from pg at the source boundary: what is worth retrying (network, server
 * restarting, slot held by a dying walsender), what is the user's to fix (auth, privileges,
 * settings), and what is a decoding fault. `where` says what we were doing, for the message.
 */
export function classifyPgError(e: unknown, where: string, context: ErrorContext): TidemarkError {
  if (isTidemarkError(e)) return e.withContext(context);
  const err = (e ?? {}) as PgLikeError;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = `${where}: ${errorMessage(e)}`;
  const make = (c: ConstructorParameters<typeof TidemarkError>[0], text = message) => new TidemarkError(c, text, { cause: e, context: { ...context, ...(code ? { sqlstate: code } : {}) } });

  if (code === '28P01' || code === '28000') return make('TIDEMARK_ERR_SOURCE_AUTH', `${message}; check the user and password in the dsn and pg_hba.conf (a "replication" line is needed for the replication connection)`);
  if (code === '42501') return make('TIDEMARK_ERR_SOURCE_AUTH', `${message}; the user needs LOGIN REPLICATION (ALTER ROLE <user> REPLICATION) and SELECT on the captured tables`);
  if (code === '55006') return make('TIDEMARK_ERR_POSTGRES_SLOT_IN_USE');
  if (code === '3D000') return make('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `${message}; fix dbname in the dsn`);
  if (code === '55000' && /wal_level/i.test(err.message ?? '')) return make('TIDEMARK_ERR_SOURCE_MISCONFIGURED', `${message}; set wal_level = logical in postgresql.conf and restart the server`);
  if (/^(08|53|57|58)/.test(code) || NETWORK_CODES.has(code) || /Connection terminated|connection timeout|timeout expired|socket/i.test(err.message ?? '')) {
    return make('TIDEMARK_ERR_SOURCE_CONNECT');
  }
  // Other SQL states (syntax, access, data) do not get better by retrying.
  if (/^[0-9A-Z]{5}$/.test(code)) return new TidemarkError('TIDEMARK_ERR_SOURCE_CONNECT', message, { cause: e, kind: 'non-retryable', context: { ...context, sqlstate: code } });
  return make('TIDEMARK_ERR_SOURCE_CONNECT');
}
