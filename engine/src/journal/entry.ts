import type { ChangeEvent, Position } from '../event/index.js';
import type { PoisonedEvent } from '../sinks/sink.js';

/** One DLQ entry, in the reference's shape (DeltaForge "Dead Letter Queue", example entry). */
export interface DlqEntry {
  readonly seq: number;
  /** Insertion time, seconds since the epoch. */
  readonly timestamp: number;
  readonly pipeline: string;
  readonly stream: 'dlq';
  readonly event_id: string;
  readonly source_cursor: Position;
  readonly payload_truncated: boolean;
  readonly event: DlqEvent;
  readonly meta: DlqMeta;
}

export interface DlqEvent {
  readonly id: string;
  readonly op: ChangeEvent['op'];
  readonly source: { readonly connector: string; readonly name: string; readonly db: string; readonly table: string; readonly position: Position };
  readonly tx: ChangeEvent['tx'];
  readonly ts_ms: number;
  readonly primary_key: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

export interface DlqMeta {
  readonly sink_id: string;
  /** serialization | routing | too_large | <other code suffix>: the filter of GET .../dlq?error_kind= */
  readonly error_kind: string;
  readonly error_code: string;
  readonly error_message: string;
  readonly attempts: number;
  readonly batch_seq: number;
}

/** An entry before the journal assigns its seq. */
export type NewDlqEntry = Omit<DlqEntry, 'seq'>;

/** Stand-in for a row image cut by max_event_bytes: what it was, and its beginning. */
export interface TruncatedImage {
  readonly _truncated: true;
  readonly original_bytes: number;
  readonly preview: string;
}

/** `TIDEMARK_ERR_SINK_SERIALIZATION` → `serialization`, `..._TOO_LARGE` → `too_large`. */
export function errorKindOf(code: string): string {
  return code.replace(/^TIDEMARK_ERR_(SINK_)?/, '').toLowerCase();
}

export function buildEntry(pipeline: string, sinkId: string, batchSeq: number, poisoned: PoisonedEvent, nowMs: number, maxEventBytes: number): NewDlqEntry {
  const { event, error } = poisoned;
  const { event: dlqEvent, truncated } = fitEvent(toDlqEvent(event), maxEventBytes);
  return {
    timestamp: Math.floor(nowMs / 1000),
    pipeline,
    stream: 'dlq',
    event_id: event.id,
    source_cursor: event.source.position,
    payload_truncated: truncated,
    event: dlqEvent,
    meta: { sink_id: sinkId, error_kind: errorKindOf(error.code), error_code: error.code, error_message: error.message, attempts: 1, batch_seq: batchSeq },
  };
}

function toDlqEvent(e: ChangeEvent): DlqEvent {
  const { connector, name, db, table, position } = e.source;
  return { id: e.id, op: e.op, source: { connector, name, db, table, position }, tx: e.tx, ts_ms: e.ts, primary_key: e.primaryKey, before: e.before, after: e.after };
}

const bytes = (v: unknown): number => Buffer.byteLength(safeJson(v));

/** JSON that never throws: a row that broke the serializer must still reach the DLQ. */
export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
  } catch {
    return JSON.stringify(String(v));
  }
}

/**
 * Keeps every piece of metadata and cuts `before`/`after` to previews so the stored event stays
 * within `maxEventBytes` (as long as the metadata alone fits). A poison event is often poison
 * because it is huge; storing it whole would make the DLQ the next thing to fall over.
 */
export function fitEvent(event: DlqEvent, maxEventBytes: number): { event: DlqEvent; truncated: boolean } {
  const whole = safeJson(event);
  if (Buffer.byteLength(whole) <= maxEventBytes) return { event: JSON.parse(whole) as DlqEvent, truncated: false };
  const images = { before: safeJson(event.before), after: safeJson(event.after) };
  const bare: DlqEvent = { ...event, before: event.before === null ? null : truncated(images.before, ''), after: event.after === null ? null : truncated(images.after, '') };
  let budget = Math.max(0, maxEventBytes - bytes(bare));
  let out = bare;
  // Escaping can grow a preview, so shrink by the overshoot until it fits.
  for (let i = 0; i < 8 && budget > 0; i++) {
    const share = Math.floor(budget / ((event.before === null ? 0 : 1) + (event.after === null ? 0 : 1) || 1));
    out = {
      ...event,
      before: event.before === null ? null : truncated(images.before, utf8Prefix(images.before, share)),
      after: event.after === null ? null : truncated(images.after, utf8Prefix(images.after, share)),
    };
    const over = bytes(out) - maxEventBytes;
    if (over <= 0) return { event: out, truncated: true };
    budget -= over;
  }
  return { event: bare, truncated: true };
}

function truncated(json: string, preview: string): TruncatedImage {
  return { _truncated: true, original_bytes: Buffer.byteLength(json), preview };
}

/** The longest prefix of `s` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function utf8Prefix(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const buf = Buffer.from(s);
  if (buf.length <= maxBytes) return s;
  let end = maxBytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString();
}
