import mysql from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2';
import type { MysqlDsn } from '../config/dsn.js';

export interface Timeouts {
  readonly connectMs: number;
  /** Upper bound for one control query; a half-open connection must not hang a reconnect. */
  readonly queryMs: number;
}

/**
 * Driver options shared by the binlog reader and the SQL connections, chosen so both paths
 * produce the same values: temporals as strings with every fractional digit, TIMESTAMPs in
 * UTC, JSON as its text, 64-bit integers as numbers only while exact, DECIMAL as strings
 * (mysql2's default).
 */
export function driverOptions(dsn: MysqlDsn, timeouts: Timeouts): ConnectionOptions {
  return {
    host: dsn.host,
    port: dsn.port,
    user: dsn.user,
    password: dsn.password,
    ...(dsn.database ? { database: dsn.database } : {}),
    connectTimeout: timeouts.connectMs,
    dateStrings: true,
    timezone: 'Z',
    jsonStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4_general_ci',
  };
}

/** One SQL connection for metadata, preflight and snapshot reads. */
export interface Control {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The raw connection, for streaming reads. */
  readonly connection: mysql.Connection;
  close(): Promise<void>;
}

export async function openControl(dsn: MysqlDsn, timeouts: Timeouts): Promise<Control> {
  const connection = await mysql.createConnection(driverOptions(dsn, timeouts));
  // An idle connection that drops emits 'error'; without a listener that would crash the process.
  connection.on('error', () => {});
  const control: Control = {
    connection,
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const [rows] = await connection.query({ sql, timeout: timeouts.queryMs }, params as unknown[]);
      return rows as T[];
    },
    async close() {
      try {
        await Promise.race([connection.end(), new Promise((r) => setTimeout(r, 1000).unref())]);
      } catch {
        // already gone
      }
      connection.destroy();
    },
  };
  // TIMESTAMP columns come back in the session time zone: UTC, like the binlog decoder's.
  await control.query("SET SESSION time_zone = '+00:00'");
  return control;
}
