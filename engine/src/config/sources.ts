import { z } from 'zod';
import { bool, nonEmptyString, oneOf, positiveInt, stringList } from './primitives.js';

const snapshot = z.strictObject({
  mode: oneOf(['never', 'initial', 'always'] as const).default('never'),
  max_parallel_tables: positiveInt().default(8),
  chunk_size: positiveInt().default(10000),
});

const onSchemaDrift = oneOf(['adapt', 'halt'] as const).default('adapt');

/** `db.table`, `db.prefix%`, `db.*`, `%.table`: exactly one dot between two non-empty parts. */
const mysqlTablePattern = () =>
  z.string().regex(/^[^.]+\.[^.]+$/, { error: (i) => `expected a table pattern like db.table, db.prefix%, db.* or %.table, got ${JSON.stringify(i.input)}` });

export const mysqlSourceConfig = z.strictObject({
  id: nonEmptyString(),
  dsn: nonEmptyString(),
  /** Patterns `db.table`, `db.prefix%`, `db.*`, `%.table`; empty = every user table. */
  tables: z.array(mysqlTablePattern()).default([]),
  /** Replica server_id; derived from `id` when absent (1 + CRC32(id) mod 4e9). */
  server_id: positiveInt().optional(),
  outbox: z.strictObject({ tables: z.array(mysqlTablePattern()).default([]) }).optional(),
  snapshot: snapshot.prefault({}),
  on_schema_drift: onSchemaDrift,
  /** The server sends a heartbeat when it has had nothing to send for this long (reference: 15 s). */
  heartbeat_secs: positiveInt().default(15),
  /** No data (not even a heartbeat) for this long: the connection is presumed dead and reopened (reference: 60 s). */
  inactivity_timeout_secs: positiveInt().default(60),
  connect_timeout_secs: positiveInt().default(30),
});

const lsn = z.string().regex(/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/, { error: (i) => `expected an LSN like 0/16B6C50, got ${JSON.stringify(i.input)}` });

export const postgresSourceConfig = z.strictObject({
  id: nonEmptyString(),
  /** URL (`postgres://user:pass@host:5432/db`) or key=value (`host=... dbname=...`). */
  dsn: nonEmptyString(),
  slot: nonEmptyString(),
  publication: nonEmptyString(),
  tables: stringList().min(1, { error: 'expected at least one table pattern' }),
  start_position: z
    .union([oneOf(['earliest', 'latest'] as const), lsn, z.strictObject({ lsn })], {
      error: (i) => `expected earliest, latest or an LSN, got ${JSON.stringify(i.input)}`,
    })
    .default('earliest'),
  outbox: z.strictObject({ prefixes: stringList().default([]) }).optional(),
  snapshot: snapshot.prefault({}),
  on_schema_drift: onSchemaDrift,
  /**
   * What to do when the slot is gone after a failover (PG 15 slots do not move to a promoted
   * standby): `halt` (default) stops with `position lost`; `recreate` creates a new slot and
   * continues, accepting that changes between the old position and the new slot are not captured.
   */
  on_slot_lost: oneOf(['halt', 'recreate'] as const).default('halt'),
  /** Seconds between standby status updates; keep well under the server's wal_sender_timeout. */
  status_interval_secs: positiveInt().default(10),
  create_slot: bool().default(true),
  create_publication: bool().default(true),
});

export const sourceSpec = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('mysql'), config: mysqlSourceConfig }),
    z.strictObject({ type: z.literal('postgres'), config: postgresSourceConfig }),
  ],
  { error: (i) => `expected a source with type mysql or postgres, got ${i.input === undefined ? 'nothing' : JSON.stringify((i.input as { type?: unknown })?.type ?? i.input)}` },
);

export type MysqlSourceConfig = z.infer<typeof mysqlSourceConfig>;
export type PostgresSourceConfig = z.infer<typeof postgresSourceConfig>;
export type SourceSpec = z.infer<typeof sourceSpec>;
