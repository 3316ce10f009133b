import pg from 'pg';
import type { PgConnectionSettings } from './dsn.js';

/**
 * Session settings fixing the text forms values arrive in, on every connection (the walsender
 * renders pgoutput values with them too): ISO dates in UTC, ISO 8601 intervals, hex bytea and
 * shortest-exact floats.
 */
const SESSION_OPTIONS = '-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=iso_8601 -c bytea_output=hex -c extra_float_digits=3';

/** Every value as the server's text: conversion is ours, the same for stream and snapshot. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

export interface ConnectOptions {
  readonly replication?: boolean;
  readonly applicationName: string;
  /** Return every column as text (snapshot reads). */
  readonly rawText?: boolean;
}

export function clientConfig(settings: PgConnectionSettings, o: ConnectOptions): pg.ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    ssl: settings.ssl === undefined ? false : settings.ssl,
    application_name: settings.application_name ?? o.applicationName,
    connectionTimeoutMillis: settings.connectionTimeoutMillis ?? 15_000,
    keepAlive: true,
    options: SESSION_OPTIONS,
    ...(o.replication ? { replication: 'database' } : {}),
    ...(o.rawText ? { types: TEXT_TYPES } : {}),
  } as pg.ClientConfig;
}

/** A connected client whose socket errors are routed to `onError` instead of crashing the process. */
export async function openClient(settings: PgConnectionSettings, o: ConnectOptions, onError: (e: Error) => void = () => {}): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(settings, o));
  client.on('error', onError);
  try {
    await client.connect();
  } catch (e) {
    client.end().catch(() => {});
    throw e;
  }
  return client;
}

/** Closes without waiting on a server that may be gone. */
export async function closeClient(client: pg.Client | null | undefined, timeoutMs = 2_000): Promise<void> {
  if (!client) return;
  const ended = client.end().catch(() => {});
  const timer = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  await Promise.race([ended, timer]);
  socketOf(client)?.destroy();
}

/** pg does not expose its socket in the types; backpressure and teardown need it. */
export function socketOf(client: pg.Client): import('node:net').Socket | undefined {
  return (client as unknown as { connection?: { stream?: import('node:net').Socket } }).connection?.stream;
}
