import type pg from 'pg';
import type { ChangeEvent } from '../../../event/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { TableInfo } from '../server/catalog.js';
import { closeClient, openClient } from '../connect.js';
import type { PgConnectionSettings } from '../dsn.js';
import type { PgPosition } from '../position.js';
import { tupleToRow } from '../rows.js';
import type { TableSchema } from '../schema-registry.js';
import { qualifiedText, quoteIdent, quoteQualified } from '../table-patterns.js';
import { planChunks, type Chunk } from './chunks.js';
import type { PauseGate } from './pause-gate.js';

export interface SnapshotReadOptions {
  readonly settings: PgConnectionSettings;
  readonly applicationName: string;
  /** An exported snapshot (pg_export_snapshot / CREATE_REPLICATION_SLOT ... SNAPSHOT 'export'). */
  readonly snapshotName: string;
  /** The LSN that snapshot corresponds to (the slot's consistent point), as text. */
  readonly snapshotLsn: string;
  readonly tables: readonly TableInfo[];
  readonly schemaOf: (table: TableInfo) => TableSchema;
  readonly chunkSize: number;
  readonly parallelism: number;
  readonly gate: PauseGate;
  readonly signal: AbortSignal;
  readonly sourceId: string;
  readonly database: string;
  /** The next row position (the caller owns the sequence). */
  readonly nextPosition: (table: TableInfo) => PgPosition;
  readonly emit: (event: ChangeEvent) => void;
  /** Every worker imported the snapshot: the exporting connection may close now. */
  readonly onImported: () => void;
  /** All rows of a table were emitted; `last` is the last row's position (null when empty). */
  readonly onTableDone: (table: TableInfo, last: PgPosition | null) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Reads tables under one exported snapshot with `parallelism` connections, each in a
 * REPEATABLE READ transaction that imported it, chunk by chunk from a shared queue, and emits
 * every row as op `r`. Waits on the pause gate between chunks.
 */
export async function readSnapshot(o: SnapshotReadOptions): Promise<number> {
  const workers: pg.Client[] = [];
  let failure: unknown = null;
  const onSocketError = (e: Error) => (failure ??= e);
  const startedAt = Date.now();
  try {
    workers.push(await openWorker(o, onSocketError));
    const plans = new Map<TableInfo, Chunk[]>();
    for (const t of o.tables) plans.set(t, await planChunks(workers[0]!, t, o.chunkSize));
    const chunks = [...plans.values()].flat();
    const extra = Math.max(0, Math.min(o.parallelism, chunks.length) - 1);
    for (let i = 0; i < extra; i++) workers.push(await openWorker(o, onSocketError));
    o.onImported();

    const remaining = new Map<TableInfo, number>();
    const last = new Map<TableInfo, PgPosition | null>();
    for (const [t, list] of plans) {
      remaining.set(t, list.length);
      last.set(t, null);
      if (list.length === 0) await o.onTableDone(t, null);
    }
    let rows = 0;
    let next = 0;
    const work = async (client: pg.Client): Promise<void> => {
      while (next < chunks.length && !o.signal.aborted) {
        await o.gate.wait();
        if (o.signal.aborted) return;
        const chunk = chunks[next++]!;
        const schema = o.schemaOf(chunk.table);
        const result = await client.query<unknown[]>({ text: selectFor(chunk), values: [...chunk.params], rowMode: 'array' });
        if (o.signal.aborted) return;
        for (const values of result.rows) last.set(chunk.table, emitRow(o, chunk.table, schema, values, startedAt));
        rows += result.rows.length;
        const left = remaining.get(chunk.table)! - 1;
        remaining.set(chunk.table, left);
        if (left === 0) await o.onTableDone(chunk.table, last.get(chunk.table)!);
      }
    };
    await Promise.all(workers.map(work));
    if (failure) throw failure;
    return rows;
  } finally {
    await Promise.all(workers.map((w) => closeClient(w)));
  }
}

async function openWorker(o: SnapshotReadOptions, onError: (e: Error) => void): Promise<pg.Client> {
  const client = await openClient(o.settings, { applicationName: o.applicationName, rawText: true }, onError);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await client.query(`SET TRANSACTION SNAPSHOT '${o.snapshotName.replace(/'/g, "''")}'`);
  return client;
}

function selectFor(chunk: Chunk): string {
  const columns = chunk.table.columns.map((c) => quoteIdent(c.name)).join(', ');
  return `SELECT ctid::text${columns ? `, ${columns}` : ''} FROM ${quoteQualified(chunk.table)} WHERE ${chunk.where}`;
}

function emitRow(o: SnapshotReadOptions, table: TableInfo, schema: TableSchema, values: unknown[], ts: number): PgPosition {
  const ctid = values[0] as string;
  const tuple = values.slice(1) as Array<string | null>;
  const after = tupleToRow(schema, tuple);
  let size = 16;
  for (const v of tuple) if (v !== null) size += v.length;
  const position = o.nextPosition(table);
  const name = qualifiedText(table);
  o.emit({
    id: `pg:snap:${position.g ? `${position.g}:` : ''}${o.snapshotLsn}:${name}:${ctid}`,
    source: { connector: 'postgres', name: o.sourceId, db: o.database, table: table.table, position },
    op: 'r',
    before: null,
    after,
    tx: { id: `snap:${o.snapshotLsn}:${name}:${ctid}`, index: 0, end: true },
    ts,
    schemaVersion: schema.version,
    size,
    primaryKey: schema.primaryKey,
    ...(schema.eventSchema ? { schema: schema.eventSchema } : {}),
  });
  return position;
}
