import { createConnection, type RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import type { Credentials, Endpoint } from '../types.js';

/** Runs statements one by one on a MySQL/MariaDB server; returns the rows of the last one. */
export async function mysqlRun(endpoint: Endpoint, credentials: Credentials, statements: readonly string[]): Promise<RowDataPacket[]> {
  const connection = await createConnection({ ...endpoint, user: credentials.user, password: credentials.password, connectTimeout: 5000 });
  try {
    let rows: RowDataPacket[] = [];
    for (const sql of statements) {
      const [result] = await connection.query<RowDataPacket[]>(sql);
      rows = Array.isArray(result) ? result : [];
    }
    return rows;
  } finally {
    connection.destroy();
  }
}

/** Runs statements one by one on a Postgres server; returns the rows of the last one. */
export async function pgRun(endpoint: Endpoint, credentials: Credentials, statements: readonly string[], database = 'postgres'): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ ...endpoint, user: credentials.user, password: credentials.password, database, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const sql of statements) rows = (await client.query(sql)).rows as Record<string, unknown>[];
    return rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
