import pg from 'pg';
import type { ConnectionOptions, SessionOptions, SqlSession } from './session.js';

// date, time, timetz, timestamp, timestamptz: the server's text, not a JS Date (which drops microseconds).
const TEXT_TYPES = new Set([1082, 1083, 1266, 1114, 1184]);
const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (TEXT_TYPES.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };

/** pg session: NUMERIC and INT8 come back as text, JSONB parsed, temporals as text in UTC. */
export async function connectPostgres(connection: ConnectionOptions, options: SessionOptions): Promise<SqlSession> {
  const client = new pg.Client({
    ...connection,
    application_name: options.label,
    options: '-c TimeZone=UTC',
    types,
    query_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: 10_000,
  });
  // A connection that dies while idle emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  let id: number;
  let serverStartedAt: number;
  try {
    const { rows } = await client.query<{ pid: number; started: string }>('SELECT pg_backend_pid() AS pid, (extract(epoch from pg_postmaster_start_time()) * 1000)::float8 AS started');
    id = (rows[0] as { pid: number }).pid;
    serverStartedAt = Number((rows[0] as { started: string | number }).started);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    id,
    serverStartedAt,
    async execute(sql, params = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rowCount ?? 0;
    },
    async query(sql, params = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Record<string, unknown>[];
    },
    async close() {
      await client.end().catch(() => undefined);
    },
    destroy() {
      // pg has no destroy; end() closes the socket and fails any query still in flight.
      void client.end().catch(() => undefined);
    },
  };
}
