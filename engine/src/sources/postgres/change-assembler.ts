import type { ChangeEvent, Op, Row } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { formatLsn, type Lsn } from './lsn.js';
import { isCovered, type PgPosition, type PositionKey } from './position.js';
import type { DeleteMessage, InsertMessage, LogicalMessage, PgoutputMessage, RelationMessage, UpdateMessage } from './protocol/index.js';
import { keyOf, keyTupleToRow, tupleToRow } from './rows.js';
import type { TableSchema } from './schema-registry.js';

export interface AssemblerOptions {
  readonly sourceId: string;
  readonly database: string;
  readonly generation: number;
  readonly schemas: {
    get(relationId: number): TableSchema | undefined;
    onRelation(msg: RelationMessage): Promise<void> | undefined;
  };
  readonly isOutbox: (prefix: string) => boolean;
  /** True when a snapshot of the table already holds the effect of a commit at this LSN. */
  readonly coveredBySnapshot: (table: TableSchema, commitLsn: Lsn) => boolean;
  readonly emit: (event: ChangeEvent) => void;
}

interface OpenTx {
  readonly commitLsn: Lsn;
  readonly lsnText: string;
  readonly xid: number;
  readonly xidText: string;
  readonly timeMs: number;
  /** Index of the next change: counts every change pgoutput sends, before any filtering, so replays number alike. */
  next: number;
  /** The newest change, held back until the next one or the commit says whether it is the last. */
  held: Pending | null;
}

interface Pending {
  readonly op: Op;
  readonly table: string;
  readonly schema: TableSchema | null;
  readonly before: Row | null;
  readonly after: Row | null;
  readonly index: number;
  readonly size: number;
  readonly outbox: boolean;
}

/**
 * Turns pgoutput messages into change events: transactions stay contiguous with `tx.id` = xid,
 * the last change of each carries `tx.end` (one change is held back for that), every event
 * gets a resume position, and changes covered by the resume position or by a table snapshot
 * are dropped. Pure apart from `emit`.
 */
export class ChangeAssembler {
  private tx: OpenTx | null = null;
  private skip: PositionKey | null;
  /** Newest end of a transaction or message received: nothing before it remains to be sent. */
  boundary: Lsn = 0n;

  constructor(private readonly options: AssemblerOptions, skip: PositionKey | null) {
    this.skip = skip;
  }

  /** After a reconnect: forget the open transaction (it is sent again) and skip what was emitted. */
  restart(skip: PositionKey | null): void {
    this.tx = null;
    this.skip = skip;
  }

  /**
   * A keepalive's WAL end: the server has sent every transaction committed before it (during a
   * transaction's output it reports an LSN before that commit), so it is a boundary too.
   */
  noteBoundary(lsn: Lsn): void {
    if (lsn > this.boundary) this.boundary = lsn;
  }

  handle(msg: PgoutputMessage): Promise<void> | undefined {
    switch (msg.tag) {
      case 'begin':
        if (this.tx) throw protocolError(`BEGIN of xid ${msg.xid} inside transaction ${this.tx.xid}`);
        if (this.skip && msg.commitLsn > this.skip.lsn) this.skip = null;
        this.tx = { commitLsn: msg.commitLsn, lsnText: formatLsn(msg.commitLsn), xid: msg.xid, xidText: String(msg.xid), timeMs: msg.commitTimeMs, next: 0, held: null };
        return undefined;
      case 'commit': {
        const tx = this.openTx('COMMIT');
        if (msg.commitLsn !== tx.commitLsn) throw protocolError(`COMMIT at ${formatLsn(msg.commitLsn)} for a transaction begun with commit LSN ${tx.lsnText}`);
        if (tx.held) this.emitPending(tx, tx.held, msg.endLsn);
        this.tx = null;
        if (msg.endLsn > this.boundary) this.boundary = msg.endLsn;
        return undefined;
      }
      case 'relation':
        return this.options.schemas.onRelation(msg);
      case 'insert':
      case 'update':
      case 'delete':
        this.onRowChange(msg);
        return undefined;
      case 'truncate': {
        const tx = this.openTx('TRUNCATE');
        for (const id of msg.relationIds) {
          const index = tx.next++;
          const schema = this.capturedSchema(id, tx, index);
          if (schema) this.hold(tx, { op: 't', table: schema.table, schema, before: null, after: null, index, size: 64, outbox: false });
        }
        return undefined;
      }
      case 'message':
        this.onLogicalMessage(msg);
        return undefined;
      case 'origin':
      case 'type':
        return undefined;
    }
  }

  private onRowChange(msg: InsertMessage | UpdateMessage | DeleteMessage): void {
    const tx = this.openTx(msg.tag);
    const index = tx.next++;
    const schema = this.capturedSchema(msg.relationId, tx, index);
    if (!schema) return;
    let before: Row | null = null;
    let after: Row | null = null;
    if (msg.tag === 'insert') {
      after = tupleToRow(schema, msg.newTuple);
    } else if (msg.tag === 'update') {
      if (msg.oldTuple) before = tupleToRow(schema, msg.oldTuple);
      else if (msg.keyTuple) before = keyTupleToRow(schema, msg.keyTuple);
      // Unchanged TOAST values are real values in a FULL before image: the after image may use them.
      after = tupleToRow(schema, msg.newTuple, msg.oldTuple ? before : null);
      // The key did not change and no old tuple was sent: the key is the before image's key.
      if (!before && schema.replicaIdentity !== 'nothing' && schema.columns.some((c) => c.isKey)) before = keyOf(schema, after);
    } else {
      before = msg.oldTuple ? tupleToRow(schema, msg.oldTuple) : msg.keyTuple ? keyTupleToRow(schema, msg.keyTuple) : null;
    }
    const op: Op = msg.tag === 'insert' ? 'c' : msg.tag === 'update' ? 'u' : 'd';
    this.hold(tx, { op, table: schema.table, schema, before, after, index, size: msg.byteLength, outbox: false });
  }

  private onLogicalMessage(msg: LogicalMessage): void {
    if (msg.transactional) {
      const tx = this.openTx('MESSAGE');
      const index = tx.next++;
      if (!this.options.isOutbox(msg.prefix) || (this.skip && isCovered(this.skip, tx.commitLsn, index))) return;
      this.hold(tx, { op: 'c', table: msg.prefix, schema: null, before: null, after: outboxRow(msg.content), index, size: msg.content.length + msg.prefix.length, outbox: true });
      return;
    }
    // A non-transactional message is a transaction of its own, positioned at its LSN.
    const end = msg.lsn + 1n;
    if (end > this.boundary) this.boundary = end;
    if (!this.options.isOutbox(msg.prefix) || (this.skip && isCovered(this.skip, msg.lsn, 0))) return;
    const lsnText = formatLsn(msg.lsn);
    const position: PgPosition = this.withG({ lsn: lsnText, xid: null, i: 0, end: formatLsn(end) });
    this.emitEvent(`msg:${lsnText}`, 0, true, Date.now(), position, { op: 'c', table: msg.prefix, schema: null, before: null, after: outboxRow(msg.content), index: 0, size: msg.content.length, outbox: true });
  }

  /** The schema of a change worth emitting, or null (not captured, already covered, in a snapshot). */
  private capturedSchema(relationId: number, tx: OpenTx, index: number): TableSchema | null {
    const schema = this.options.schemas.get(relationId);
    if (!schema) throw protocolError(`change for relation ${relationId} before its Relation message`);
    if (!schema.captured) return null;
    if (this.skip && isCovered(this.skip, tx.commitLsn, index)) return null;
    if (this.options.coveredBySnapshot(schema, tx.commitLsn)) return null;
    return schema;
  }

  private hold(tx: OpenTx, pending: Pending): void {
    if (tx.held) this.emitPending(tx, tx.held, null);
    tx.held = pending;
  }

  private emitPending(tx: OpenTx, p: Pending, endLsn: Lsn | null): void {
    const position: PgPosition = this.withG(
      endLsn === null
        ? p.schema
          ? { lsn: tx.lsnText, xid: tx.xid, schema: p.schema.schema, i: p.index }
          : { lsn: tx.lsnText, xid: tx.xid, i: p.index }
        : p.schema
          ? { lsn: tx.lsnText, xid: tx.xid, schema: p.schema.schema, i: p.index, end: formatLsn(endLsn) }
          : { lsn: tx.lsnText, xid: tx.xid, i: p.index, end: formatLsn(endLsn) },
    );
    this.emitEvent(tx.xidText, p.index, endLsn !== null, tx.timeMs, position, p);
  }

  private emitEvent(txId: string, index: number, end: boolean, ts: number, position: PgPosition, p: Pending): void {
    const g = this.options.generation;
    const event: ChangeEvent = {
      id: `pg:${g > 0 ? `${g}:` : ''}${position.lsn}:${index}`,
      source: { connector: 'postgres', name: this.options.sourceId, db: this.options.database, table: p.table, position },
      op: p.op,
      before: p.before,
      after: p.after,
      tx: { id: txId, index, end },
      ts,
      schemaVersion: p.schema ? p.schema.version : null,
      size: p.size,
      primaryKey: p.schema ? p.schema.primaryKey : [],
      ...(p.outbox ? { outbox: { match: p.table } } : {}),
      ...(p.schema?.eventSchema ? { schema: p.schema.eventSchema } : {}),
    };
    this.options.emit(event);
  }

  private withG(p: PgPosition): PgPosition {
    return this.options.generation > 0 ? { ...p, g: this.options.generation } : p;
  }

  private openTx(what: string): OpenTx {
    if (!this.tx) throw protocolError(`${what.toUpperCase()} outside a transaction`);
    return this.tx;
  }
}

/** A logical message's content as the outbox processor expects it: the JSON object, or `{payload}`. */
function outboxRow(content: Buffer): Row {
  const text = content.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : { payload: value };
  } catch {
    return { payload: text };
  }
}

function protocolError(what: string): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_SOURCE_DECODE', `pgoutput stream out of order: ${what}`);
}
