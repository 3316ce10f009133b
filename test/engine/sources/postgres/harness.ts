/**
 * Shared fixtures for the Postgres source integration tests: one native Postgres (behind
 * Toxiproxy) per test file, an admin client on the direct port, and pipelines running the
 * real PostgresSource under a Coordinator with in-memory sinks and checkpoints.
 */
import pg from 'pg';
import { pgOptions, startTopology, type ServiceName, type Topology } from '../../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend, type CheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import { postgresSourceConfig, type PostgresSourceConfig } from '../../../../engine/src/config/sources.js';
import { Coordinator } from '../../../../engine/src/coordinator/index.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { createLogger, silentLogger, type Logger } from '../../../../engine/src/logging/logger.js';
import { PostgresSource, type PostgresSourceOptions } from '../../../../engine/src/sources/postgres/index.js';
import { MemorySink } from '../../../../engine/src/testing/index.js';
import { waitFor as poll } from '../../../support/poll.js';

export interface PgFixture {
  readonly topology: Topology;
  readonly admin: pg.Client;
  /** DSN through the Toxiproxy proxy (what the engine uses). */
  readonly dsn: string;
  readonly directDsn: string;
  sql(text: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

export async function startPostgres(services: ServiceName[] = ['postgres']): Promise<PgFixture> {
  const topology = await startTopology(services, { provider: 'native' });
  const info = topology.get('postgres').info();
  const direct = pgOptions(info, 'direct');
  const proxied = pgOptions(info, 'proxy');
  const admin = new pg.Client(direct);
  await admin.connect();
  return {
    topology,
    admin,
    dsn: `postgres://${proxied.user}:${proxied.password}@${proxied.host}:${proxied.port}/${proxied.database}`,
    directDsn: `postgres://${direct.user}:${direct.password}@${direct.host}:${direct.port}/${direct.database}`,
    sql: async (text, values) => (await admin.query(text, values)).rows,
    stop: async () => {
      await admin.end().catch(() => {});
      await topology.down();
    },
  };
}

let counter = 0;
/** Unique names per test so tests in one file share a server without seeing each other's slots. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}`;
}

export function sourceConfig(fixture: PgFixture, fields: Partial<Record<keyof PostgresSourceConfig, unknown>> & { tables: string[] }): PostgresSourceConfig {
  const name = uniqueName('t');
  return postgresSourceConfig.parse({ id: `pg_${name}`, dsn: fixture.dsn, slot: `slot_${name}`, publication: `pub_${name}`, status_interval_secs: 1, ...fields });
}

export interface RunningPipeline {
  readonly source: PostgresSource;
  readonly sink: MemorySink;
  readonly coordinator: Coordinator;
  readonly backend: CheckpointBackend;
  events(): ChangeEvent[];
  /** Resolves when `predicate` holds over the delivered events. */
  until(predicate: (events: ChangeEvent[]) => boolean, timeoutMs?: number): Promise<ChangeEvent[]>;
  stop(): Promise<void>;
}

export async function runPipeline(
  config: PostgresSourceConfig,
  o: { backend?: CheckpointBackend; sink?: MemorySink; options?: PostgresSourceOptions; logger?: Logger; maxEvents?: number; respectSourceTx?: boolean } = {},
): Promise<RunningPipeline> {
  const backend = o.backend ?? new MemoryCheckpointBackend();
  const sink = o.sink ?? new MemorySink('mem');
  const source = new PostgresSource(config, o.options);
  const logger = o.logger ?? (process.env.TIDEMARK_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger());
  const coordinator = new Coordinator({
    pipeline: 'pgtest',
    tenant: 't',
    source,
    sinks: [sink],
    batch: { max_events: o.maxEvents ?? 500, max_bytes: 64 * 1024 * 1024, max_ms: 50, respect_source_tx: o.respectSourceTx ?? true, max_inflight: 4 },
    commitPolicy: { mode: 'required' },
    store: backend.forPipeline('pgtest'),
    logger,
  });
  await coordinator.start();
  if (coordinator.state === 'failed') throw coordinator.failure;
  return {
    source,
    sink,
    coordinator,
    backend,
    events: () => sink.events,
    until: (predicate, timeoutMs = 20_000) => waitFor(() => (predicate(sink.events) ? sink.events : undefined), timeoutMs, () => `${sink.events.length} events; state ${coordinator.state} ${coordinator.failure?.message ?? ''}`),
    stop: () => coordinator.stop(),
  };
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, describe: () => string = () => 'the probe'): Promise<T> {
  const box = await poll(describe, async () => {
    const value = await probe();
    return value !== undefined && value !== false ? { value } : undefined;
  }, { timeoutMs, intervalMs: 25 });
  return box.value;
}

export async function slotRow(fixture: PgFixture, slot: string): Promise<{ confirmed_flush_lsn: string; active: boolean; wal_status: string } | undefined> {
  const rows = await fixture.sql('SELECT confirmed_flush_lsn::text, active, wal_status FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  return rows[0] as never;
}

/**
 * Waits until the server has received `count` distinct standby status updates from the
 * replication connection of `applicationName` (pg_stat_replication.reply_time): each one is a
 * chance for the engine to confirm a flush LSN, so a check that the slot did *not* move counts
 * the engine's replies instead of sleeping. Returns how many it saw.
 */
export async function statusReplies(fixture: PgFixture, applicationName: string, count: number, timeoutMs = 15_000): Promise<number> {
  const times = new Set<number>();
  await waitFor(async () => {
    const at = (await fixture.sql('SELECT reply_time FROM pg_stat_replication WHERE application_name = $1', [applicationName]))[0]?.reply_time as Date | undefined;
    if (at) times.add(at.getTime());
    return times.size >= count ? true : undefined;
  }, timeoutMs, () => `for ${count} status updates from ${applicationName} (saw ${times.size})`);
  return times.size;
}

/** Drops what a test created (slot and publication), tolerating what is already gone. */
export async function cleanup(fixture: PgFixture, config: PostgresSourceConfig): Promise<void> {
  await fixture.sql('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [config.slot]).catch(() => {});
  await fixture.sql(`DROP PUBLICATION IF EXISTS "${config.publication}"`).catch(() => {});
}

/** Runs statements in one transaction on a fresh connection and returns its xid. */
export async function inTransaction(fixture: PgFixture, statements: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: fixture.directDsn });
  await client.connect();
  try {
    await client.query('BEGIN');
    const xid = Number((await client.query('SELECT txid_current()::text AS x')).rows[0].x) % 2 ** 32;
    for (const s of statements) await client.query(s);
    await client.query('COMMIT');
    return xid;
  } finally {
    await client.end();
  }
}
