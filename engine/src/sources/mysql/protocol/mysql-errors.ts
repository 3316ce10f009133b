import { errorMessage, isTidemarkError, TidemarkError, type ErrorContext } from '../../../errors/index.js';

/** The fields mysql2 puts on its errors (network errors carry only `code`). */
interface DriverError {
  readonly code?: string;
  readonly errno?: number;
  readonly fatal?: boolean;
}

const ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;
const AUTH_ERRNOS = new Set([1044, 1045, 1142, 1143, 1227, 1370, 1698, 1873]);
/** Too many connections, server shutdown, killed, lost connection, gone away, read/write interrupted. */
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1077, 1152, 1153, 1158, 1159, 1160, 1161, 1184, 1205, 1213, 1927, 2002, 2003, 2006, 2013, 2055, 4031]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_SOCKET_CLOSED',
]);

/** Message shared by every position-lost error, as the issue and the docs promise it. */
export function positionLostMessage(detail: string): string {
  return `position lost: ${detail}. Re-snapshot required.`;
}

/**
 * Classifies anything the drivers throw at the boundary where the source catches it. Unknown
 * errors that are not connection-level count as decode failures: retrying them would replay
 * the same bytes forever.
 */
export function classifyMysqlError(e: unknown, context: ErrorContext): TidemarkError {
  if (isTidemarkError(e)) return e.withContext(context);
  const d = (typeof e === 'object' && e !== null ? e : {}) as DriverError;
  const message = errorMessage(e);
  const make = (code: ConstructorParameters<typeof TidemarkError>[0], text: string) => new TidemarkError(code, text, { context, cause: e });

  if (d.errno === ER_MASTER_FATAL_ERROR_READING_BINLOG) {
    if (/same server_(?:uuid|id)|same server id/i.test(message)) return make('TIDEMARK_ERR_MYSQL_SERVER_ID_CONFLICT', `another reader with the same server_id took over the binlog stream: ${message}`);
    return make('TIDEMARK_ERR_SOURCE_POSITION_LOST', positionLostMessage(`the server cannot stream from the checkpoint (${message})`));
  }
  if (d.errno !== undefined && AUTH_ERRNOS.has(d.errno)) return make('TIDEMARK_ERR_SOURCE_AUTH', `access denied: ${message}`);
  if (/Insufficient permissions to access/i.test(message)) return make('TIDEMARK_ERR_SOURCE_AUTH', `${message}: grant SELECT on it`);
  if (/TRANSACTION_PAYLOAD_EVENT|PARTIAL_UPDATE_ROWS_EVENT/.test(message)) return make('TIDEMARK_ERR_MYSQL_UNSUPPORTED_BINLOG', message);
  const transient =
    (d.code !== undefined && NETWORK_CODES.has(d.code)) ||
    (d.errno !== undefined && TRANSIENT_ERRNOS.has(d.errno)) ||
    d.fatal === true ||
    /connection (?:is )?(?:lost|closed)|closed state|Control connection unavailable|timed? ?out/i.test(message);
  if (transient) return make('TIDEMARK_ERR_SOURCE_CONNECT', `connection to the server failed: ${message}`);
  return make('TIDEMARK_ERR_SOURCE_DECODE', message);
}
