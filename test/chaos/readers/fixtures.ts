/**
 * Change events shaped like the workload's: row versions planned by the real planner, wrapped
 * as the MySQL source would emit them (tx id, index, end; position), so reader tests can compare
 * what comes back with what went in, field for field.
 */
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { WriterModel } from '../../../chaos/src/workload/planner.js';
import { Rng } from '../../../chaos/src/workload/rng.js';
import { SchemaModel, WORKLOAD_PRIMARY_KEYS } from '../../../chaos/src/workload/schema.js';
import { deterministicEventId, idempotencyKey, type ChangeEvent } from '../../../engine/src/event/index.js';

export const DB = 'readerdb';
export const TENANT = 'acme';

/** `txns` committed workload txns of one writer, as change events in commit order. */
export function workloadEvents(txns: number, seed = 1): ChangeEvent[] {
  const model = new WriterModel(1, new SchemaModel());
  const rng = new Rng(seed);
  const events: ChangeEvent[] = [];
  let pos = 4;
  // `offset` is what MemorySource resumes and acknowledges by; envelopes never show it.
  for (let t = 1; t <= txns; t++) {
    const writes = model.plan(rng, { mix: { insert: 3, update: 5, delete: 2 }, rowsPerTx: [1, 4], keysPerTable: 4 });
    model.apply(writes);
    writes.forEach(({ version: v }, index) => {
      const txId = `0-1-${t}`;
      const partial = { source: { connector: 'mysql', name: 'src', db: DB, table: v.table, position: { offset: events.length, gtid: txId, file: 'mysql-bin.000001', pos: (pos += 100) } }, tx: { id: txId, index, end: index === writes.length - 1 } };
      events.push({
        ...partial,
        id: deterministicEventId(idempotencyKey(TENANT, partial)),
        op: v.op,
        before: v.before,
        after: v.after,
        ts: 1_800_000_000_000 + t,
        schemaVersion: null,
        size: 200,
        primaryKey: WORKLOAD_PRIMARY_KEYS[v.table] as string[],
      });
    });
  }
  return events;
}

/** The record a reader must reconstruct from an event (sink-specific fields left out). */
export function expectedRecord(e: ChangeEvent, withMetadata = true): Partial<SinkRecord> {
  const image = (e.op === 'd' ? e.before : e.after) as Record<string, unknown>;
  return {
    table: e.source.table,
    db: e.source.db,
    key: JSON.stringify(Object.fromEntries(e.primaryKey.map((c) => [c, image[c]]))),
    op: e.op,
    version: image.version as number,
    writer: image.writer as number,
    before: e.before,
    after: e.after,
    idempotencyKey: withMetadata ? idempotencyKey(TENANT, e) : null,
    txId: withMetadata ? e.tx.id : null,
    txIndex: withMetadata ? e.tx.index : null,
    txEnd: withMetadata ? e.tx.end : null,
  };
}

/** The comparable part of a record. */
export function comparable(r: SinkRecord): Partial<SinkRecord> {
  const { table, db, key, op, version, writer, before, after, idempotencyKey: k, txId, txIndex, txEnd } = r;
  return { table, db, key, op, version, writer, before, after, idempotencyKey: k, txId, txIndex, txEnd };
}
