import type { KeyValueStore } from '../../../checkpoints/checkpoint-store.js';
import type { PostgresSourceConfig } from '../../../config/index.js';
import type { Position } from '../../../event/index.js';
import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { ParsedDsn } from '../dsn.js';
import { formatLsn, type Lsn } from '../lsn.js';
import { positionKey, type PgPosition, type PositionKey } from '../position.js';
import { ReplicationConnection, type CreatedSlot, type SystemIdentity } from '../replication-connection.js';
import { SchemaRegistry } from '../schema-registry.js';
import type { Exporter } from '../snapshot/snapshot-phase.js';
import { pendingRecord } from '../snapshot/snapshot-phase.js';
import type { SnapshotDecision, SnapshotRecord, SnapshotStore } from '../snapshot/snapshot-state.js';
import type { SqlConnection } from '../sql-connection.js';
import { planGeneration, type Cursor } from '../start-plan.js';
import { compileTablePatterns, qualifiedText } from '../table-patterns.js';
import { TypeCatalog } from '../types/type-catalog.js';
import { loadCapturedTables, loadTableByOid, loadTypes, type TableInfo } from './catalog.js';
import type { IdentityChange, IdentityStore } from './identity.js';
import { preflight } from './preflight.js';
import { reconcileServer } from './reconcile.js';
import { checkSchemaDrift } from './schema-drift.js';
import { ensurePublication, initialStreamLsn, type SlotState } from './slot.js';

/** What the connect plan and the streaming loop share: configuration, connections, records. */
export interface SourceEnv {
  readonly config: PostgresSourceConfig;
  readonly dsn: ParsedDsn;
  readonly appName: string;
  readonly sql: SqlConnection;
  readonly kv: KeyValueStore;
  readonly identities: IdentityStore;
  readonly snapshots: SnapshotStore;
  readonly logger: Logger;
}

/** The captured tables and their schemas, as found at start. */
export interface Captured {
  readonly tables: ReadonlyMap<string, TableInfo>;
  readonly schemas: SchemaRegistry;
}

/** A slot generation ready to stream (after its snapshot, when it has one). */
export interface OpenedGeneration {
  readonly generation: number;
  readonly anchor: Cursor;
  /** The slot's confirmed flush LSN at connect: the flush reported never goes below it. */
  readonly floor: Lsn;
  readonly record: SnapshotRecord | undefined;
  readonly snapshot: SnapshotDecision;
  /** The snapshot exported by a slot just created, kept open for the snapshot to import. */
  readonly exporter: Exporter | null;
  readonly streamFrom: PgPosition;
}

export interface ConnectPlan extends OpenedGeneration, Captured {
  readonly identity: SystemIdentity;
  /** What start() reports: the position streaming starts after. */
  readonly startedAfter: Position;
}

/**
 * Start-up: check the server and the tables, create what is missing, reconcile the server
 * identity and the slot with the checkpoint, and decide where streaming and the snapshot start.
 * Safe to run again after a retryable failure: it changes nothing in the source object.
 */
export async function connectPlan(env: SourceEnv, resumeFrom: Position | null): Promise<ConnectPlan> {
  const c = env.config;
  const captured = await loadCaptured(env);
  const tableList = [...captured.tables.values()];
  await ensurePublication(env.sql, { name: c.publication, tables: tableList, create: c.create_publication, sourceId: c.id, logger: env.logger });
  const repl = await ReplicationConnection.open(env.dsn.settings, env.appName);
  try {
    const stored = await env.identities.get();
    const resumeKey = resumeFrom ? positionKey(resumeFrom) : null;
    const generation = Math.max(stored?.generation ?? 0, resumeKey?.g ?? 0);
    const resume = resumeKey && resumeKey.g === generation ? resumeKey : null;
    const server = await reconcileServer({ ...env, repl, known: stored, generation, dependsOn: resume, replaceUnused: true, checkDrift: driftCheck(env, captured) });
    const created = server.recreated ?? (server.slot ? null : await createSlot(env, repl));
    const opened = await openGeneration(env, captured, repl, { generation: server.generation, slot: server.slot, created, resume: resume && resumeFrom ? { key: resume, position: resumeFrom as PgPosition } : null });
    return { ...captured, ...opened, identity: server.identity, startedAfter: resumeFrom ?? opened.streamFrom };
  } catch (e) {
    await repl.close();
    throw e;
  }
}

/**
 * Plans a slot generation on `repl` and records a snapshot it is about to run, so a crash
 * before its first row still resumes it. Closes `repl` unless the snapshot needs its export.
 */
export async function openGeneration(
  env: SourceEnv,
  captured: Captured,
  repl: ReplicationConnection,
  g: { readonly generation: number; readonly slot: SlotState | undefined; readonly created: CreatedSlot | null; readonly resume: { readonly key: PositionKey; readonly position: PgPosition } | null },
): Promise<OpenedGeneration> {
  const c = env.config;
  const resume = g.created ? null : g.resume;
  const from = resume ? { resume: resume.key, position: resume.position } : { lsn: g.created ? g.created.consistentPoint : await initialStreamLsn(env.sql, g.slot!, c.start_position, env.logger) };
  const record = await env.snapshots.get();
  const plan = planGeneration({ mode: c.snapshot.mode, record, tables: [...captured.tables.keys()], generation: g.generation, from });
  const exporter = plan.snapshot.run && g.created?.snapshotName ? { connection: repl, snapshotName: g.created.snapshotName, lsn: g.created.consistentPoint } : null;
  if (plan.snapshot.run) await env.snapshots.put(pendingRecord(plan.snapshot, exporter ? formatLsn(exporter.lsn) : plan.snapshot.anchor.lsn));
  if (!exporter) await repl.close();
  const floor = g.slot?.confirmedFlush ?? g.created?.consistentPoint ?? 0n;
  return { generation: g.generation, anchor: plan.anchor, floor, record, snapshot: plan.snapshot, exporter, streamFrom: plan.streamFrom };
}

/** on_schema_drift over the captured tables, for a server that changed under us. */
export function driftCheck(env: SourceEnv, captured: Captured): (change: IdentityChange) => void {
  return (change) => checkSchemaDrift({ tables: [...captured.tables.values()], schemas: captured.schemas, change, policy: env.config.on_schema_drift, sourceId: env.config.id, logger: env.logger });
}

async function loadCaptured(env: SourceEnv): Promise<Captured> {
  const c = env.config;
  const tables = await loadCapturedTables(env.sql, c.tables);
  await preflight(env.sql, { sourceId: c.id, display: env.dsn.display, patterns: c.tables, tables, needSelect: c.snapshot.mode !== 'never', logger: env.logger });
  const schemas = new SchemaRegistry({
    kv: env.kv,
    namespace: `postgres:${c.id}:schemas`,
    types: new TypeCatalog((oids) => loadTypes(env.sql, oids)),
    isCaptured: compileTablePatterns(c.tables),
    fetchTable: (oid) => loadTableByOid(env.sql, oid),
    logger: env.logger,
  });
  await schemas.init(tables);
  return { tables: new Map(tables.map((t) => [qualifiedText(t), t])), schemas };
}

async function createSlot(env: SourceEnv, repl: ReplicationConnection): Promise<CreatedSlot> {
  const c = env.config;
  if (!c.create_slot) {
    throw new TidemarkError('TIDEMARK_ERR_POSTGRES_SLOT_MISSING', `source ${c.id}: replication slot "${c.slot}" does not exist and create_slot is false; run SELECT pg_create_logical_replication_slot('${c.slot}', 'pgoutput')`, { context: { source: c.id, slot: c.slot } });
  }
  const created = await repl.createSlot(c.slot, { exportSnapshot: c.snapshot.mode !== 'never' });
  env.logger.info({ slot: c.slot, lsn: formatLsn(created.consistentPoint) }, `created replication slot ${c.slot}`);
  return created;
}
