import type { AnyBinlogEvent, TableMapEntry } from '@vlasky/zongji';
import type { BinlogInput } from './binlog-input.js';

/** The zongji events the reader asks for; the rest are never decoded past their header. */
export const WANTED_EVENTS = [
  'rotate', 'format', 'previousgtids', 'mariadbgtidlist', 'binlogcheckpoint', 'gtid', 'anonymousgtid', 'mariadbgtid',
  'query', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'xaprepare', 'heartbeat',
];

const ROW_OPS = { WriteRows: 'c', UpdateRows: 'u', DeleteRows: 'd' } as const;

/** getTypeName() reads Function.name through an accessor, twice per event in zongji already: memoise it per class. */
const TYPE_NAMES = new Map<unknown, string>();

function typeName(e: AnyBinlogEvent): string {
  let name = TYPE_NAMES.get(e.constructor);
  if (name === undefined) TYPE_NAMES.set(e.constructor, (name = e.getTypeName()));
  return name;
}

/** Maps one zongji event to assembler input; null for events that only matter to liveness or zongji itself. */
export function toBinlogInput(e: AnyBinlogEvent): BinlogInput | null {
  const type = typeName(e);
  switch (type) {
    case 'WriteRows':
    case 'UpdateRows':
    case 'DeleteRows': {
      const rowsEvent = e as AnyBinlogEvent & { tableId: number; tableMap: Record<number, TableMapEntry>; rows: unknown[] };
      const map = rowsEvent.tableMap[rowsEvent.tableId]!;
      return {
        kind: 'rows',
        op: ROW_OPS[type as keyof typeof ROW_OPS],
        db: map.parentSchema,
        table: map.tableName,
        columns: map.columns ?? [],
        rows: rowsEvent.rows,
        size: e.size,
        ts: e.timestamp,
      };
    }
    case 'MariadbGtid': {
      const g = e as Extract<AnyBinlogEvent, { getTypeName(): 'MariadbGtid' }>;
      return { kind: 'gtid', gtid: g.gtid, serverId: g.serverId, ts: g.timestamp, endPos: g.nextPosition };
    }
    case 'Gtid':
      return { kind: 'gtid', gtid: (e as Extract<AnyBinlogEvent, { getTypeName(): 'Gtid' }>).gtid, serverId: null, ts: e.timestamp, endPos: e.nextPosition };
    case 'AnonymousGtid':
      return { kind: 'gtid', gtid: null, serverId: null, ts: e.timestamp, endPos: e.nextPosition };
    case 'Query': {
      const q = e as Extract<AnyBinlogEvent, { getTypeName(): 'Query' }>;
      return { kind: 'query', sql: q.query, schema: q.schema, ts: q.timestamp, endPos: q.nextPosition };
    }
    case 'Xid':
    case 'XaPrepare':
      return { kind: 'commit', ts: e.timestamp, endPos: e.nextPosition };
    case 'Format':
    case 'PreviousGtids':
    case 'MariadbGtidList':
    case 'BinlogCheckpoint':
      return { kind: 'offset', endPos: e.nextPosition };
    case 'Rotate': {
      const r = e as Extract<AnyBinlogEvent, { getTypeName(): 'Rotate' }>;
      return { kind: 'rotate', file: r.binlogName, pos: r.position };
    }
    default:
      return null;
  }
}
