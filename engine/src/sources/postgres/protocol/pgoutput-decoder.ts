import { BufferReader } from './buffer-reader.js';
import { pgTimestampToMs } from './replication-messages.js';
import {
  UNCHANGED_TOAST,
  type PgoutputMessage,
  type RelationColumn,
  type ReplicaIdentity,
  type Tuple,
} from './pgoutput-messages.js';

/** Thrown for bytes that are not a pgoutput v1 message we understand. */
export class PgoutputDecodeError extends Error {
  constructor(message: string, readonly tag: string) {
    super(message);
    this.name = 'PgoutputDecodeError';
  }
}

const REPLICA_IDENTITY: Record<string, ReplicaIdentity> = { d: 'default', n: 'nothing', f: 'full', i: 'index' };

/**
 * Decodes one pgoutput (proto_version 1) message: the payload of an XLogData message.
 * Pure: bytes in, a typed message out. Text values stay strings; type conversion is the
 * caller's business. Binary values ('b', only sent with `binary 'true'`) are copied out.
 */
export function decodePgoutput(payload: Buffer): PgoutputMessage {
  if (payload.length === 0) throw new PgoutputDecodeError('empty pgoutput message', '');
  const tag = String.fromCharCode(payload[0]!);
  const r = new BufferReader(payload, 1);
  try {
    switch (tag) {
      case 'B':
        return { tag: 'begin', commitLsn: r.uint64(), commitTimeMs: pgTimestampToMs(r.int64()), xid: r.uint32() };
      case 'C':
        return { tag: 'commit', flags: r.uint8(), commitLsn: r.uint64(), endLsn: r.uint64(), commitTimeMs: pgTimestampToMs(r.int64()) };
      case 'O':
        return { tag: 'origin', originLsn: r.uint64(), name: r.cstring() };
      case 'R':
        return decodeRelation(r);
      case 'Y':
        return { tag: 'type', typeOid: r.uint32(), schema: r.cstring(), name: r.cstring() };
      case 'I': {
        const relationId = r.uint32();
        expectByte(r, 'N', tag);
        return { tag: 'insert', relationId, newTuple: decodeTuple(r), byteLength: payload.length };
      }
      case 'U':
        return decodeUpdate(r, payload.length);
      case 'D': {
        const relationId = r.uint32();
        const kind = String.fromCharCode(r.uint8());
        if (kind !== 'K' && kind !== 'O') throw new PgoutputDecodeError(`delete: expected 'K' or 'O' before the old tuple, got ${JSON.stringify(kind)}`, tag);
        const tuple = decodeTuple(r);
        return { tag: 'delete', relationId, keyTuple: kind === 'K' ? tuple : null, oldTuple: kind === 'O' ? tuple : null, byteLength: payload.length };
      }
      case 'T': {
        const count = r.uint32();
        const options = r.uint8();
        const relationIds: number[] = [];
        for (let i = 0; i < count; i++) relationIds.push(r.uint32());
        return { tag: 'truncate', cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0, relationIds };
      }
      case 'M': {
        const flags = r.uint8();
        const lsn = r.uint64();
        const prefix = r.cstring();
        const length = r.uint32();
        return { tag: 'message', transactional: (flags & 1) !== 0, lsn, prefix, content: Buffer.from(r.bytes(length)) };
      }
      default:
        throw new PgoutputDecodeError(
          `unsupported pgoutput message ${JSON.stringify(tag)} (0x${payload[0]!.toString(16)}); streaming and two-phase messages are not requested by this client`,
          tag,
        );
    }
  } catch (e) {
    if (e instanceof PgoutputDecodeError) throw e;
    throw new PgoutputDecodeError(`malformed pgoutput ${JSON.stringify(tag)} message: ${(e as Error).message}`, tag);
  }
}

function decodeRelation(r: BufferReader): PgoutputMessage {
  const relationId = r.uint32();
  const schema = r.cstring();
  const table = r.cstring();
  const identityChar = String.fromCharCode(r.uint8());
  const replicaIdentity = REPLICA_IDENTITY[identityChar];
  if (!replicaIdentity) throw new PgoutputDecodeError(`relation ${schema}.${table}: unknown replica identity ${JSON.stringify(identityChar)}`, 'R');
  const count = r.int16();
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.uint8();
    columns.push({ isKey: (flags & 1) !== 0, name: r.cstring(), typeOid: r.uint32(), typeMod: r.int32() });
  }
  return { tag: 'relation', relationId, schema, table, replicaIdentity, columns };
}

function decodeUpdate(r: BufferReader, byteLength: number): PgoutputMessage {
  const relationId = r.uint32();
  let keyTuple: Tuple | null = null;
  let oldTuple: Tuple | null = null;
  let kind = String.fromCharCode(r.uint8());
  if (kind === 'K' || kind === 'O') {
    const tuple = decodeTuple(r);
    if (kind === 'K') keyTuple = tuple;
    else oldTuple = tuple;
    kind = String.fromCharCode(r.uint8());
  }
  if (kind !== 'N') throw new PgoutputDecodeError(`update: expected 'N' before the new tuple, got ${JSON.stringify(kind)}`, 'U');
  return { tag: 'update', relationId, keyTuple, oldTuple, newTuple: decodeTuple(r), byteLength };
}

function expectByte(r: BufferReader, expected: string, tag: string): void {
  const got = String.fromCharCode(r.uint8());
  if (got !== expected) throw new PgoutputDecodeError(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`, tag);
}

function decodeTuple(r: BufferReader): Tuple {
  const count = r.int16();
  const values: Tuple = new Array(count);
  for (let i = 0; i < count; i++) {
    const kind = r.uint8();
    switch (kind) {
      case 0x74: // 't'
        values[i] = r.utf8(r.int32());
        break;
      case 0x6e: // 'n'
        values[i] = null;
        break;
      case 0x75: // 'u'
        values[i] = UNCHANGED_TOAST;
        break;
      case 0x62: // 'b'
        values[i] = Buffer.from(r.bytes(r.int32()));
        break;
      default:
        throw new RangeError(`column ${i}: unknown tuple value kind ${JSON.stringify(String.fromCharCode(kind))}`);
    }
  }
  return values;
}
