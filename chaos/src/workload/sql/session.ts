import type { SourceKind } from './dialect.js';
import { connectMysql } from './mysql-session.js';
import { connectPostgres } from './pg-session.js';

/** Plain connection options, as `mysqlOptions(service, 'direct')` / `pgOptions(...)` return them. */
export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The database to connect to (Postgres: where the workload's schema is created). */
  readonly database: string;
}

/** One database connection, driver-neutral. */
export interface SqlSession {
  /** Server-side id: MariaDB CONNECTION_ID(), Postgres backend pid. What KILL / pg_terminate_backend take. */
  readonly id: number;
  /** When the server (instance) started, ms since the Unix epoch: a restart ends every session. */
  readonly serverStartedAt: number;
  /** Runs a statement; resolves with the number of rows it affected. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a query; resolves with its rows as the driver returns them. */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Polite close; never throws. */
  close(): Promise<void>;
  /** Drops the socket at once (the server sees the client vanish). */
  destroy(): void;
}

export interface SessionOptions {
  /** Shown in pg_stat_activity (Postgres). */
  readonly label: string;
  /** Client-side limit per statement; on expiry the session is destroyed. */
  readonly statementTimeoutMs: number;
}

export function connectSession(source: SourceKind, connection: ConnectionOptions, options: SessionOptions): Promise<SqlSession> {
  return source === 'mysql' ? connectMysql(connection, options) : connectPostgres(connection, options);
}

/** Error text for histories and logs: message and driver code, never connection secrets. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
