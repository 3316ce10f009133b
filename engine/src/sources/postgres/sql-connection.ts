import type pg from 'pg';
import type { Queryable } from './server/catalog.js';
import { closeClient, openClient } from './connect.js';
import type { PgConnectionSettings } from './dsn.js';

/**
 * The source's regular connection for catalog, slot and publication queries. It reconnects on
 * the next query after the server or the network dropped it, so a long-running stream does
 * not depend on an idle side connection staying up.
 */
export class SqlConnection implements Queryable {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(private readonly settings: PgConnectionSettings, private readonly applicationName: string) {}

  async query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }> {
    const client = await this.connect();
    try {
      return await client.query<R>(text, values);
    } catch (e) {
      // A SQL error leaves the connection usable; a broken socket does not.
      if (!(e as { code?: unknown }).code || /^(08|57)/.test(String((e as { code?: unknown }).code))) this.drop(client);
      throw e;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.connecting = null;
    await closeClient(client);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= openClient(this.settings, { applicationName: this.applicationName }, () => this.drop(this.client)).then(
      (c) => {
        this.client = c;
        this.connecting = null;
        return c;
      },
      (e: unknown) => {
        this.connecting = null;
        throw e;
      },
    );
    return this.connecting;
  }

  private drop(client: pg.Client | null): void {
    if (!client || client !== this.client) return;
    this.client = null;
    void closeClient(client);
  }
}
