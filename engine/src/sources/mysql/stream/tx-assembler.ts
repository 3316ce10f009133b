import type { ChangeEvent, Op, Row } from '../../../event/index.js';
import type { GtidState } from '../protocol/gtid.js';
import { streamPosition, type MysqlPosition, type StreamCoordinates } from '../protocol/position.js';
import { classifyStatement, type TableRef } from '../protocol/statements.js';
import { convertRow } from '../protocol/values.js';
import type { BinlogInput } from './binlog-input.js';
import { MysqlChangeEvent } from './change-event.js';
import type { HandoffFilter } from './handoff-filter.js';
import type { StreamTable, TableResolver } from './table-resolver.js';

/** Tables (or whole schemas) whose definition must be re-read before more rows are decoded. */
export interface SchemaChange {
  readonly tables: readonly TableRef[];
  readonly schemas: readonly string[];
}

export interface AssemblerDeps {
  readonly sourceId: string;
  readonly tenant: string;
  readonly emit: (event: ChangeEvent) => void;
  readonly tables: TableResolver;
  /** Re-reads schemas; the assembler queues input until it settles. */
  readonly refreshSchemas: (change: SchemaChange) => Promise<void>;
  /** Called with true while a refresh runs (stop reading the socket), false after. */
  readonly hold: (on: boolean) => void;
  readonly fail: (error: unknown) => void;
}

/** Where the stream starts: the state before the first event it will deliver. */
export interface AssemblerStart {
  readonly epoch: number;
  /** The connected server's server_id, for positions of transactions without one of their own. */
  readonly serverId: number;
  /** Executed GTID state at the start; null in file:pos mode. */
  readonly gtid: GtidState | null;
  readonly file: string;
  readonly pos: number;
  /** Rows of transaction `gtid` (file mode: the first transaction) with index <= `index` were emitted already. */
  readonly skip: { readonly gtid: string | null; readonly index: number } | null;
  readonly handoff: HandoffFilter | null;
}

interface OpenTx {
  readonly id: string;
  readonly coords: StreamCoordinates;
  readonly ts: number;
  /** Row changes seen so far in the transaction, over all tables: the next event's tx.index. */
  rows: number;
  skipUpTo: number;
}

/**
 * Turns decoded binlog events into ChangeEvents, one transaction at a time. Each transaction's
 * events are emitted contiguously; the last one is held back until the commit arrives, so it
 * can carry `tx.end` and a position after the whole transaction. `tx.index` counts row changes
 * of every table in the transaction, so it is the same on every replay whatever is filtered.
 * (Longer than most: the row, DDL, GTID and commit cases share the held-back event and the
 * resume skipping, which split across modules would have to pass back and forth.)
 */
export class TxAssembler {
  private file: string;
  private endPos: number;
  /** File mode: where the current event group started (before its anonymous GTID event). */
  private groupStart: number | null = null;
  private tx: OpenTx | null = null;
  private skip: AssemblerStart['skip'];
  private blocked = false;
  private readonly queue: BinlogInput[] = [];
  private readonly refreshedUnknown = new Set<string>();
  private closed = false;
  // The held event, in fields rather than an object: one allocation less per row.
  private heldTable: StreamTable | null = null;
  private heldDb = '';
  private heldName = '';
  private heldOp: Op = 'c';
  private heldBefore: Row | null = null;
  private heldAfter: Row | null = null;
  private heldIndex = 0;
  private heldSize = 0;
  /** Position of the last event emitted: where a reconnect resumes. */
  lastPosition: MysqlPosition | null = null;
  events = 0;
  bytes = 0;
  /** Commit time of the newest transaction seen, for the lag metric. */
  lastTs = 0;

  constructor(private readonly deps: AssemblerDeps, private readonly start: AssemblerStart) {
    this.file = start.file;
    this.endPos = start.pos;
    this.skip = start.skip;
  }

  push(input: BinlogInput): void {
    if (this.closed) return;
    if (this.blocked) this.queue.push(input);
    else this.process(input);
  }

  /** Drops whatever is held or queued (a partial transaction is re-read after a restart). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.heldTable = null;
  }

  private process(input: BinlogInput): void {
    switch (input.kind) {
      case 'rows':
        return this.onRows(input);
      case 'gtid':
        return this.onGtid(input);
      case 'commit':
        this.endTx(input.endPos);
        return;
      case 'query':
        return this.onQuery(input);
      case 'offset':
        if (input.endPos > 0 && this.tx === null) this.endPos = input.endPos;
        return;
      case 'rotate':
        this.finishOpenTx();
        this.file = input.file;
        this.endPos = input.pos;
        return;
    }
  }

  private onGtid(input: Extract<BinlogInput, { kind: 'gtid' }>): void {
    // A group without a commit marker (DDL, or one we could not see) ends where the next begins.
    this.finishOpenTx();
    if (input.gtid === null) {
      this.groupStart = this.endPos;
    } else {
      const state = this.start.gtid;
      const before = state ? state.toString() : null;
      state?.add(input.gtid);
      this.openTx(input.gtid, input.gtid, input.serverId ?? this.start.serverId, this.endPos, before, input.ts);
    }
    this.endPos = input.endPos > 0 ? input.endPos : this.endPos;
  }

  private onQuery(input: Extract<BinlogInput, { kind: 'query' }>): void {
    const statement = classifyStatement(input.sql, input.schema);
    switch (statement.kind) {
      case 'begin':
        if (this.tx === null) {
          const start = this.groupStart ?? this.endPos;
          this.openTx(`${this.file}:${start}`, null, this.start.serverId, start, null, input.ts);
        }
        break;
      case 'commit':
      case 'rollback':
        this.endTx(input.endPos);
        return;
      case 'truncate':
        this.emitTruncate(statement.table, input);
        return;
      case 'ddl':
        this.endTx(input.endPos);
        this.block(this.deps.refreshSchemas({ tables: statement.tables, schemas: statement.schemas }));
        return;
      case 'other':
        break;
    }
    if (input.endPos > 0) this.endPos = input.endPos;
  }

  private onRows(input: Extract<BinlogInput, { kind: 'rows' }>): void {
    let table = this.deps.tables.resolve(input.db, input.table, input.columns);
    if (table === undefined) {
      const key = `${input.db}.${input.table}`;
      if (!this.refreshedUnknown.has(key)) {
        // A captured table the registry has not seen (created while we were away): read its
        // schema first, then decode this event again.
        this.refreshedUnknown.add(key);
        this.queue.unshift(input);
        this.block(this.deps.refreshSchemas({ tables: [{ db: input.db, table: input.table }], schemas: [] }));
        return;
      }
      // Gone again by the time we asked (dropped later in the binlog): decode without a registry entry.
      table = this.deps.tables.unregistered(input.db, input.table, input.columns);
    }
    const tx = this.tx ?? this.openTx(`${this.file}:${this.endPos}`, null, this.start.serverId, this.endPos, null, input.ts);
    const first = tx.rows;
    const rows = input.rows;
    tx.rows += rows.length;
    if (table === null) return;
    const handoff = this.start.handoff;
    if (handoff !== null && !handoff.admits(table.key)) return;
    // Outbox tables are append-only channels: only inserts are messages.
    if (table.outbox !== undefined && input.op !== 'c') return;
    const size = Math.max(1, Math.round(input.size / Math.max(1, rows.length)));
    const { special, bufferColumns } = table.plan;
    for (let i = 0; i < rows.length; i++) {
      const index = first + i;
      if (index <= tx.skipUpTo) continue;
      let before: Row | null = null;
      let after: Row | null = null;
      if (input.op === 'u') {
        const pair = rows[i] as { before: Row; after: Row };
        before = pair.before;
        after = pair.after;
        convertRow(before, special, bufferColumns);
        convertRow(after, special, bufferColumns);
      } else {
        const row = rows[i] as Row;
        convertRow(row, special, bufferColumns);
        if (input.op === 'c') after = row;
        else before = row;
      }
      if (this.heldTable !== null) this.emitHeld(false, null);
      this.heldTable = table;
      this.heldDb = input.db;
      this.heldName = input.table;
      this.heldOp = input.op;
      this.heldBefore = before;
      this.heldAfter = after;
      this.heldIndex = index;
      this.heldSize = size;
    }
  }

  private emitTruncate(ref: TableRef, input: Extract<BinlogInput, { kind: 'query' }>): void {
    const tx = this.tx;
    this.endTx(input.endPos);
    const table = this.deps.tables.describe(ref.db, ref.table);
    if (!table || table.outbox) return;
    if (this.start.handoff !== null && !this.start.handoff.admits(table.key)) return;
    const id = tx?.id ?? `${this.file}:${input.endPos}`;
    const position = this.boundary(tx?.coords ?? null, input.endPos);
    this.send(ref.db, ref.table, table, 't', null, null, id, 0, true, position, tx?.ts ?? input.ts, 1);
  }

  private openTx(id: string, gtid: string | null, serverId: number, startPos: number, before: string | null, ts: number): OpenTx {
    let skipUpTo = -1;
    if (this.skip !== null && (this.skip.gtid === null || this.skip.gtid === gtid)) {
      skipUpTo = this.skip.index;
      this.skip = null;
    }
    const coords: StreamCoordinates = { server_id: serverId, gtid, file: this.file, pos: startPos, gtid_set: before };
    this.tx = { id, coords, ts, rows: 0, skipUpTo };
    this.groupStart = null;
    this.lastTs = ts;
    this.start.handoff?.beginTx(gtid, this.file, startPos);
    return this.tx;
  }

  /** The transaction committed at `endPos`: its held event is its last. */
  private endTx(endPos: number): void {
    if (endPos > 0) this.endPos = endPos;
    if (this.heldTable !== null) this.emitHeld(true, endPos > 0 ? endPos : this.endPos);
    this.tx = null;
  }

  private finishOpenTx(): void {
    if (this.tx !== null) this.endTx(this.endPos);
  }

  /** After the transaction of `coords`, which ended at `endPos`. */
  private boundary(coords: StreamCoordinates | null, endPos: number): MysqlPosition {
    const gtidSet = this.start.gtid ? this.start.gtid.toString() : null;
    return streamPosition({ server_id: coords?.server_id ?? this.start.serverId, gtid: coords?.gtid ?? null, file: this.file, pos: endPos, gtid_set: gtidSet }, this.start.epoch, -1);
  }

  private emitHeld(end: boolean, endPos: number | null): void {
    const tx = this.tx!;
    const table = this.heldTable!;
    this.heldTable = null;
    const position = end ? this.boundary(tx.coords, endPos!) : streamPosition(tx.coords, this.start.epoch, this.heldIndex);
    this.send(this.heldDb, this.heldName, table, this.heldOp, this.heldBefore, this.heldAfter, tx.id, this.heldIndex, end, position, tx.ts, this.heldSize);
  }

  private send(db: string, name: string, table: StreamTable, op: Op, before: Row | null, after: Row | null, txId: string, index: number, end: boolean, position: MysqlPosition, ts: number, size: number): void {
    const event = new MysqlChangeEvent(
      this.deps.tenant,
      { connector: 'mysql', name: this.deps.sourceId, db, table: name, position },
      op,
      before,
      after,
      { id: txId, index, end },
      ts,
      table.schemaVersion,
      size,
      table.primaryKey,
      op === 'c' ? table.outbox : undefined,
      table.schema,
    );
    this.lastPosition = position;
    this.events++;
    this.bytes += size;
    this.deps.emit(event);
  }

  private block(work: Promise<void>): void {
    this.blocked = true;
    this.deps.hold(true);
    work.then(
      () => {
        if (this.closed) return;
        this.blocked = false;
        this.deps.hold(false);
        while (!this.blocked && !this.closed && this.queue.length > 0) this.process(this.queue.shift()!);
      },
      (e: unknown) => this.deps.fail(e),
    );
  }
}
