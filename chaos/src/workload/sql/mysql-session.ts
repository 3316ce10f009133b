import mysql from 'mysql2/promise';
import type { ConnectionOptions, SessionOptions, SqlSession } from './session.js';

/** mysql2 session: DECIMAL stays a string, big BIGINTs become strings (never lossy numbers), temporals text in UTC. */
export async function connectMysql(connection: ConnectionOptions, options: SessionOptions): Promise<SqlSession> {
  const conn = await mysql.createConnection({
    ...connection,
    supportBigNumbers: true,
    decimalNumbers: false,
    // Temporals as the server's text (all fractional digits), in UTC, as the source reports them.
    dateStrings: true,
    timezone: 'Z',
    connectTimeout: 10_000,
    charset: 'utf8mb4_unicode_ci',
  });
  // A connection that dies while idle emits 'error'; without a listener that would crash the process.
  conn.on('error', () => undefined);
  const run = async (sql: string, params: readonly unknown[]) => {
    const [result] = await conn.query({ sql, timeout: options.statementTimeoutMs }, params as unknown[]);
    return result;
  };
  let serverStartedAt: number;
  try {
    await conn.query("SET time_zone = '+00:00'");
    const [rows] = await conn.query("SHOW GLOBAL STATUS LIKE 'Uptime'");
    serverStartedAt = Date.now() - Number((rows as { Value: string }[])[0]?.Value) * 1000;
  } catch (err) {
    conn.destroy();
    throw err;
  }
  return {
    id: conn.threadId,
    serverStartedAt,
    async execute(sql, params = []) {
      const result = await run(sql, params);
      return Array.isArray(result) ? 0 : (result as { affectedRows: number }).affectedRows;
    },
    async query(sql, params = []) {
      const result = await run(sql, params);
      return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
    },
    async close() {
      await conn.end().catch(() => conn.destroy());
    },
    destroy() {
      conn.destroy();
    },
  };
}
