/**
 * The streaming-replication sub-protocol carried inside CopyData (see the Postgres docs,
 * "Streaming Replication Protocol"): XLogData 'w' and primary keepalive 'k' from the server,
 * standby status update 'r' from us.
 */
import { BufferReader } from './buffer-reader.js';

/** Postgres timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = 946_684_800_000;

export const XLOG_DATA = 0x77; // 'w'
export const PRIMARY_KEEPALIVE = 0x6b; // 'k'
const STANDBY_STATUS_UPDATE = 0x72; // 'r'

/** XLogData header: tag, walStart, walEnd, sendTime. */
export const XLOG_DATA_HEADER_BYTES = 25;

export interface XLogDataHeader {
  /** Where the WAL carried by this message starts (for pgoutput: the record being decoded). */
  readonly walStart: bigint;
  /** The server's current end of WAL. */
  readonly walEnd: bigint;
  readonly sendTimeMs: number;
}

export interface PrimaryKeepalive {
  /** The server's current end of WAL (what it has sent up to). */
  readonly walEnd: bigint;
  readonly sendTimeMs: number;
  /** The server wants a status update now, or it will time us out (wal_sender_timeout). */
  readonly replyRequested: boolean;
}

export interface StandbyStatus {
  readonly written: bigint;
  readonly flushed: bigint;
  readonly applied: bigint;
  readonly nowMs: number;
  readonly replyRequested?: boolean;
}

export function pgTimestampToMs(micros: bigint): number {
  return Number(micros / 1000n) + PG_EPOCH_MS;
}

export function msToPgTimestamp(ms: number): bigint {
  return BigInt(Math.round(ms - PG_EPOCH_MS)) * 1000n;
}

/** The header of an XLogData message (`chunk[0]` must be 'w'). */
export function decodeXLogDataHeader(chunk: Buffer): XLogDataHeader {
  const r = new BufferReader(chunk, 1);
  return { walStart: r.uint64(), walEnd: r.uint64(), sendTimeMs: pgTimestampToMs(r.int64()) };
}

/** The logical-decoding output inside an XLogData message, without copying. */
export function xlogDataPayload(chunk: Buffer): Buffer {
  if (chunk.length < XLOG_DATA_HEADER_BYTES) throw new RangeError(`XLogData message of ${chunk.length} bytes is shorter than its ${XLOG_DATA_HEADER_BYTES}-byte header`);
  return chunk.subarray(XLOG_DATA_HEADER_BYTES);
}

export function decodeKeepalive(chunk: Buffer): PrimaryKeepalive {
  const r = new BufferReader(chunk, 1);
  return { walEnd: r.uint64(), sendTimeMs: pgTimestampToMs(r.int64()), replyRequested: r.uint8() === 1 };
}

/** Standby status update: the flush position is what the slot's confirmed_flush_lsn becomes. */
export function encodeStandbyStatus(status: StandbyStatus): Buffer {
  const b = Buffer.allocUnsafe(34);
  b[0] = STANDBY_STATUS_UPDATE;
  b.writeBigUInt64BE(status.written, 1);
  b.writeBigUInt64BE(status.flushed, 9);
  b.writeBigUInt64BE(status.applied, 17);
  b.writeBigInt64BE(msToPgTimestamp(status.nowMs), 25);
  b[33] = status.replyRequested ? 1 : 0;
  return b;
}
